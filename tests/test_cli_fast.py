"""The cold path of ``claude-models resolve`` (issue 11, "Speed"): ``cli.fast_args`` reads
the simplest command lines without argparse, and must read them exactly as argparse does;
the resolve path imports neither argparse nor typing nor datetime; ``cli.console`` ends a
read-only command at once, with its status and its whole output."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claude_models import cli
from claude_models.commands import explain, resolve
from claude_models.commands._parser import build_parser
from tests.clirun import base_env
from tests.conftest import Sandbox

FAST_COMMANDS = ("resolve", "explain")


def argparse_view(argv: list[str]) -> dict[str, Any]:
    return vars(build_parser(argv[0]).parse_args(argv))


def fast_view(argv: list[str]) -> dict[str, Any] | None:
    found = cli.fast_args(argv)
    return None if found is None else vars(found)


# Command lines the fast path reads: each must come out exactly as argparse reads it.
READ = [
    ["resolve"],
    ["resolve", "--json"],
    ["resolve", "--json", "-p"],
    ["resolve", "-p", "--json"],
    ["resolve", "--print"],
    ["resolve", "--model", "opus"],
    ["resolve", "--model=opus[1m]"],
    ["resolve", "--model="],  # an explicit empty value
    ["resolve", "--model=-x"],  # "=" takes any value, a leading "-" too
    ["resolve", "--model", ""],
    ["resolve", "--model", "claude opus"],
    ["resolve", "--model", "résumé"],
    ["resolve", "--model", "resolve"],
    ["resolve", "--permission-mode", "plan", "--effort", "max"],
    ["resolve", "--settings", '{"model": "haiku"}', "--fallback-model", "sonnet,haiku"],
    ["resolve", "--agent", '{"subagent_type": "Explore"}', "--skill-model", "haiku"],
    ["resolve", "--managed-settings", "/tmp/none", "--cwd", "/tmp", "--subscription", "max"],
    ["resolve", "--today", "2026-11-29", "--claude-version", "2.1.330"],
    ["resolve", "--permission-mode", "bogus"],  # refused later, by the command, as before
    ["explain"],
    ["explain", "--all", "--json", "-p", "--model", "sonnet"],
]

# Command lines it leaves to argparse (help, errors, abbreviations, "--", repeats, values
# that look like options, combined short flags, commands without a SWITCHES table).
LEFT = [
    [],
    ["--help"],
    ["--version"],
    ["resolve", "-h"],
    ["resolve", "--help"],
    ["resolve", "--mod", "opus"],  # an abbreviation
    ["resolve", "--model"],  # no value
    ["resolve", "--model", "-p"],
    ["resolve", "--model", "--json"],
    ["resolve", "--today", "-1"],
    ["resolve", "--model", "a", "--model", "b"],
    ["resolve", "--json", "--json"],
    ["resolve", "-pp"],
    ["resolve", "--print=yes"],
    ["resolve", "--json=1"],
    ["resolve", "--"],
    ["resolve", "extra"],
    ["resolve", "--bogus"],
    ["resolve", "--all"],  # explain's switch, not resolve's
    ["doctor"],
    ["models"],
    ["nosuchcommand"],
    ["Resolve"],
    ["_parser"],
    ["_common"],
    ["-p", "resolve"],
]


@pytest.mark.parametrize("argv", READ, ids=" ".join)
def test_the_fast_path_reads_as_argparse_does(argv: list[str]) -> None:
    assert fast_view(argv) == argparse_view(argv)


@pytest.mark.parametrize("argv", LEFT, ids=lambda a: " ".join(a) or "(none)")
def test_the_rest_is_left_to_argparse(argv: list[str]) -> None:
    assert cli.fast_args(argv) is None


@pytest.mark.parametrize("command", FAST_COMMANDS)
def test_the_fast_path_knows_every_flag_of_the_command(command: str) -> None:
    """A flag added to the command's parser but not to the tables would be read wrongly."""
    sub = next(a for a in build_parser(command)._actions if a.choices)
    parser: argparse.ArgumentParser = sub.choices[command]  # type: ignore[index]
    module = {"resolve": resolve, "explain": explain}[command]
    known = {s for spellings, *_ in cli.COMMON_OPTIONS for s in spellings}
    known |= {flag for flag, _, _ in module.SWITCHES}
    assert set(parser._option_string_actions) == known | {"-h", "--help"}


VALUES = st.sampled_from(["opus", "", "-x", "a b", "sonnet[1m]", "=", "--json", "-1", "ü"])
TOKENS = st.one_of(
    st.sampled_from(
        ["--json", "-p", "--print", "--all", "--", "-h", "--mod", "--model", "--effort", "-pp"]
    ),
    st.builds(lambda o, v: f"{o}={v}", st.sampled_from(["--model", "--cwd", "--json"]), VALUES),
    VALUES,
)


@given(command=st.sampled_from(FAST_COMMANDS), rest=st.lists(TOKENS, max_size=6))
def test_fast_path_agrees_with_argparse_on_any_command_line(command: str, rest: list[str]) -> None:
    argv = [command, *rest]
    fast = fast_view(argv)
    if fast is None:
        return  # argparse reads it, as it always did
    assert fast == argparse_view(argv)


def test_resolve_imports_neither_argparse_nor_typing_nor_datetime(sandbox: Sandbox) -> None:
    """What made a cold resolve 4x+ ``python -c pass``: argparse with its parser and
    translations, typing, datetime's Python classes, contextlib, importlib."""
    code = (
        "import sys, io, contextlib\n"
        "before = set(sys.modules)\n"
        "from claude_models.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['resolve', '--json', '-p', '--managed-settings', sys.argv[1]])\n"
        "heavy = {'argparse', 'typing', 'datetime', 'gettext', 'locale', 'importlib.util'}\n"
        "print(code, sorted(heavy & (set(sys.modules) - before)))\n"
    )
    env = base_env(sandbox.home)
    proc = subprocess.run(
        [sys.executable, "-c", code, str(sandbox.tmp / "none.json")],
        env=env,
        cwd=sandbox.cwd,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert proc.stdout.split(maxsplit=1) == ["0", "[]\n"], proc.stdout + proc.stderr


def test_the_step_types_are_still_importable_where_they_were() -> None:
    from claude_models import kinds
    from claude_models.decision import MAIN_STEPS, MainStep
    from claude_models.registry import PROVIDERS, Provider
    from claude_models.resolvers.fastmode import FastStep

    assert MainStep is kinds.MainStep and FastStep is kinds.FastStep
    assert Provider is kinds.Provider
    assert MAIN_STEPS[0] == "session" and PROVIDERS[0] == "firstParty"
    with pytest.raises(ImportError):
        from claude_models.decision import NoSuchStep  # noqa: F401


# ---------------------------------------------------------------- the executable


def run_console(sandbox: Sandbox, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claude_models", *args],
        env=base_env(sandbox.home),
        cwd=sandbox.cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_console_prints_the_whole_answer_and_exits_0(sandbox: Sandbox) -> None:
    none = str(sandbox.tmp / "none.json")
    proc = run_console(sandbox, "resolve", "--json", "-p", "--managed-settings", none)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["main"]["model"]  # complete JSON, flushed before the exit
    assert proc.stderr == ""


def test_console_output_to_a_file_is_complete(sandbox: Sandbox) -> None:
    """Skipping the interpreter's teardown must not lose buffered output: a file gets what a
    pipe gets, byte for byte, and it is whole (``explain --all --json`` is ~20 KB)."""
    out = sandbox.tmp / "out.json"
    args = ["explain", "--all", "--json", "--managed-settings", str(sandbox.tmp / "none.json")]
    with out.open("w") as f:
        code = subprocess.run(
            [sys.executable, "-m", "claude_models", *args],
            env=base_env(sandbox.home),
            cwd=sandbox.cwd,
            stdout=f,
            check=False,
            timeout=60,
        ).returncode
    assert code == 0
    piped = run_console(sandbox, *args)
    assert out.read_text() == piped.stdout
    assert json.loads(piped.stdout)["layers"]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["resolve", "--permission-mode", "bogus"], 2, "--permission-mode: 'bogus'"),
        (["resolve", "--today", "soon"], 2, "'soon' is not a date"),
        (["resolve", "--bogus"], 2, "unrecognized arguments: --bogus"),
        (["resolve", "--model"], 2, "expected one argument"),
    ],
)
def test_console_keeps_the_error_status_and_line(
    sandbox: Sandbox, args: list[str], code: int, says: str
) -> None:
    proc = run_console(sandbox, *args, "--managed-settings", str(sandbox.tmp / "none.json"))
    assert proc.returncode == code
    assert says in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("claude-models")
