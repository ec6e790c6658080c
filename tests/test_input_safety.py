"""Hostile input (issue 12, items 22-25): terminal escapes, inputs that used to raise, files
that block, agent frontmatter beyond the YAML subset; and ``cli.main`` as the last line of
defence (no traceback, a closed pipe ends quietly)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from claude_models import cli
from claude_models.agentfiles import read_frontmatter
from claude_models.commands import resolve as resolve_command
from claude_models.terminal import clean, escape, join_lines
from tests.clirun import Run, base_env, run_cli
from tests.conftest import Sandbox
from tests.fakeapi import FakeAPI
from tests.live_helpers import env_for

RAW_CONTROLS = ("\x1b", "\x07", "\x00", "\x9b", "\r", "\u202e")
HOSTILE = "\x1b]52;c;cHduZWQ=\x07\x1b[2J\x00\x9b31m\r\u202e"


def one_line_error(run: Run, code: int = 2) -> str:
    assert run.code == code, (run.code, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("claude-models: error: ")
    return lines[0]


def no_raw_controls(text: str) -> None:
    for ch in RAW_CONTROLS:
        assert ch not in text, (ch, text)


def managed(sb: Sandbox) -> list[str]:
    return ["--managed-settings", str(sb.tmp / "managed.json")]


def user_settings(sb: Sandbox, data: object) -> Path:
    p = sb.home / ".claude" / "settings.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(data), encoding="utf-8")
    return p


# ------------------------------------------------------------- 22: terminal injection


@pytest.mark.parametrize(
    ("text", "line", "block"),
    [
        ("opus", "opus", "opus"),
        ("a\nb", "a\\nb", "a\nb"),
        ("a\tb", "a\\tb", "a\tb"),
        ("\x1b[31mred\x07", "\\x1b[31mred\\x07", "\\x1b[31mred\\x07"),
        ("nul\x00", "nul\\x00", "nul\\x00"),
        ("csi\x9b2J", "csi\\x9b2J", "csi\\x9b2J"),
        ("cr\roverwrite", "cr\\roverwrite", "cr\\roverwrite"),
        ("bidi\u202eevil", "bidi\\u202eevil", "bidi\\u202eevil"),
        ("sur\ud800", "sur\\ud800", "sur\\ud800"),
        ("é 日本 ✓", "é 日本 ✓", "é 日本 ✓"),
    ],
)
def test_control_characters_are_spelled_out(text: str, line: str, block: str) -> None:
    assert escape(text) == line
    assert clean(text) == block


def test_join_lines_keeps_each_item_on_its_own_line() -> None:
    assert join_lines(["a", "b\n  [ok] forged"]).splitlines() == ["a", "b\\n  [ok] forged"]


def test_a_model_id_with_a_newline_cannot_forge_a_doctor_line(sandbox: Sandbox) -> None:
    user_settings(sandbox, {"model": "claude-foo\n  [ok] all good" + HOSTILE})
    # an empty policy that exists: a named policy file that is missing is an error (issue 16)
    (sandbox.tmp / "managed.json").write_text("{}", encoding="utf-8")
    r = run_cli(["doctor", *managed(sandbox)], env=base_env(sandbox.home), cwd=sandbox.cwd)
    assert r.code == 0, r.stdout + r.stderr
    assert not any(line.startswith("  [ok] all good") for line in r.stdout.splitlines())
    assert "claude-foo\\n  [ok] all good\\x1b]52" in r.stdout
    no_raw_controls(r.stdout + r.stderr)


@pytest.mark.parametrize("extra", [{}, {"NO_COLOR": "1"}, {"FORCE_COLOR": "1"}])
def test_explain_shows_settings_values_escaped(sandbox: Sandbox, extra: dict[str, str]) -> None:
    """Settings values (the model, an env value) reach every column and the warnings."""
    user_settings(
        sandbox,
        {"model": "claude-foo" + HOSTILE, "env": {"ANTHROPIC_SMALL_FAST_MODEL": "x\n" + HOSTILE}},
    )
    r = run_cli(["explain", *managed(sandbox)], env=base_env(sandbox.home, extra), cwd=sandbox.cwd)
    assert r.code == 0, r.stderr
    out = r.stdout
    if extra.get("FORCE_COLOR"):  # rich's own colour codes are fine; the value's are not
        assert "\x1b]52" not in out and "\x07" not in out and "\x00" not in out
    else:
        no_raw_controls(out)
    assert "claude-foo\\x1b]52;c;cHduZWQ=\\x07" in out


def test_a_picker_label_cannot_forge_a_models_line(sandbox: Sandbox) -> None:
    hostile = HOSTILE.replace("\x00", "")  # an environment cannot hold NUL
    env = {"ANTHROPIC_CUSTOM_MODEL_OPTION": "my-model\nForged  fake  [saves opus]" + hostile}
    r = run_cli(["models", *managed(sandbox)], env=base_env(sandbox.home, env), cwd=sandbox.cwd)
    assert r.code == 0, r.stderr
    assert not any(line.startswith("Forged") for line in r.stdout.splitlines())
    assert "my-model\\nForged" in r.stdout
    no_raw_controls(r.stdout)


def test_model_set_messages_are_escaped(sandbox: Sandbox) -> None:
    (sandbox.tmp / "managed.json").write_text(
        json.dumps({"availableModels": ["sonnet"], "enforceAvailableModels": True})
    )
    argv = ["model", "set", "opus" + HOSTILE.replace("\x00", ""), *managed(sandbox)]
    r = run_cli(argv, env=base_env(sandbox.home), cwd=sandbox.cwd)
    assert r.code == 1
    assert "is not available" in r.stderr
    no_raw_controls(r.stdout + r.stderr)


def test_migrate_diff_is_escaped(sandbox: Sandbox) -> None:
    p = sandbox.home / ".claude" / "settings.json"
    p.parent.mkdir()
    p.write_text('{"note": "c1\u009b2J", "model": "claude-opus-4-1"}')
    argv = ["migrate", "--dry-run", *managed(sandbox)]
    r = run_cli(argv, env=base_env(sandbox.home, {"CLAUDE_MODELS_NOW": "1"}), cwd=sandbox.cwd)
    assert r.code == 0, r.stderr
    assert "c1\\x9b2J" in r.stdout
    no_raw_controls(r.stdout)


@pytest.mark.parametrize("command", ["ask", "validate"])
def test_server_error_text_is_escaped(
    httpserver: HTTPServer, sandbox: Sandbox, command: str
) -> None:
    api = FakeAPI(httpserver)
    api.script("opus", 400, "bad request " + HOSTILE)
    env = base_env(sandbox.home, env_for("firstParty", api.url))
    argv = ["ask", "--model", "opus", "hi"] if command == "ask" else ["validate", "opus"]
    r = run_cli([*argv, *managed(sandbox)], env=env, cwd=sandbox.cwd)
    assert r.code == 1
    assert "bad request" in r.stderr
    assert len(r.stderr.splitlines()) == 1
    no_raw_controls(r.stdout + r.stderr)


def test_a_reply_text_is_escaped_but_keeps_its_lines(
    httpserver: HTTPServer, sandbox: Sandbox
) -> None:
    api = FakeAPI(httpserver)
    api.reply_text = "line one\nline two " + HOSTILE
    env = base_env(sandbox.home, env_for("firstParty", api.url))
    r = run_cli(["ask", "hi", *managed(sandbox)], env=env, cwd=sandbox.cwd)
    assert r.code == 0, r.stderr
    assert r.stdout.startswith("line one\nline two \\x1b]52")
    no_raw_controls(r.stdout)


def test_json_output_is_left_to_json(sandbox: Sandbox) -> None:
    """--json is already escaped by json.dumps: the value round-trips exactly."""
    user_settings(sandbox, {"model": "claude-foo" + HOSTILE})
    argv = ["resolve", "--json", *managed(sandbox)]
    r = run_cli(argv, env=base_env(sandbox.home), cwd=sandbox.cwd)
    assert r.json()["main"]["model"] == "claude-foo" + HOSTILE


# ------------------------------------------------------------- 23: inputs that used to raise


DEEP = "[" * 20_000 + "]" * 20_000


@pytest.mark.parametrize(
    ("argv", "env", "says"),
    [
        (["--settings", '{"a": ' + DEEP + "}"], {}, "--settings: the JSON string is not valid"),
        (["--agent", '{"model": ' + DEEP + "}"], {}, "--agent: not valid JSON"),
        (["--settings", "~nosuchuser9/x.json"], {}, "--settings: cannot expand '~nosuchuser9'"),
        ([], {"CLAUDE_CONFIG_DIR": "~nosuchuser9/c"}, "CLAUDE_CONFIG_DIR: cannot expand"),
    ],
    ids=["settings-deep", "agent-deep", "settings-nouser", "config-dir-nouser"],
)
def test_hostile_arguments_are_one_line(
    sandbox: Sandbox, argv: list[str], env: dict[str, str], says: str
) -> None:
    r = run_cli(
        ["resolve", *argv, *managed(sandbox)], env=base_env(sandbox.home, env), cwd=sandbox.cwd
    )
    assert says in one_line_error(r)


@pytest.mark.parametrize("now", ["nan", "inf", "-inf"])
def test_a_non_finite_clock_is_ignored_like_an_unreadable_one(sandbox: Sandbox, now: str) -> None:
    p = user_settings(sandbox, {"model": "claude-opus-4-1"})
    argv = ["migrate", "--dry-run", *managed(sandbox)]
    r = run_cli(argv, env=base_env(sandbox.home, {"CLAUDE_MODELS_NOW": now}), cwd=sandbox.cwd)
    assert r.code == 0, r.stderr
    assert str(p) in r.stdout


def test_a_deleted_working_directory_is_one_line(sandbox: Sandbox) -> None:
    gone = sandbox.tmp / "gone"
    gone.mkdir()
    script = f'cd "{gone}" && rmdir "{gone}" && exec "$0" -m claude_models resolve "$@"'
    proc = subprocess.run(
        ["/bin/sh", "-c", script, sys.executable, *managed(sandbox)],
        env=base_env(sandbox.home),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    line = one_line_error(Run(proc.returncode, proc.stdout, proc.stderr))
    assert "current directory no longer exists" in line and "--cwd" in line


def test_an_unexpected_exception_is_one_line_and_exit_1(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise ZeroDivisionError("sk-ant-api03-must-not-be-printed")

    monkeypatch.setattr(resolve_command, "run", broken)
    monkeypatch.delenv("CLAUDE_MODELS_DEBUG", raising=False)
    assert cli.main(["resolve", *managed(sandbox)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("claude-models: error: unexpected ZeroDivisionError")
    assert "CLAUDE_MODELS_DEBUG=1" in err and "must-not-be-printed" not in err

    monkeypatch.setenv("CLAUDE_MODELS_DEBUG", "1")
    assert cli.main(["resolve", *managed(sandbox)]) == 1
    assert "Traceback" in capsys.readouterr().err


CLOSED_PIPE = [
    ["doctor", "--managed-settings"],
    ["resolve", "--managed-settings"],
    ["explain", "--managed-settings"],
    ["models", "--managed-settings"],
    ["gateway-config", "--managed-settings"],
    ["migrate", "--dry-run", "--managed-settings"],
    ["releases"],
    ["diff", "--from", "2.1.328", "--managed-settings"],
    # argparse's own output: it swallowed the failed write and exited 0 (grep --help | true: 141)
    ["--help"],
    ["--version"],
    ["explain", "--help"],
]


@pytest.mark.parametrize("argv", CLOSED_PIPE, ids=[" ".join(a[:2]) for a in CLOSED_PIPE])
def test_a_closed_pipe_ends_quietly_with_sigpipe_status(sandbox: Sandbox, argv: list[str]) -> None:
    """``claude-models doctor | head -0``: exit 141 (what the shell shows for grep killed by
    SIGPIPE), nothing on stderr (it printed "Exception ignored ... BrokenPipeError", exit 120)."""
    env = base_env(sandbox.home)  # PYTHONPATH and the machine guard come with it
    if argv[-1] == "--managed-settings":
        argv = [*argv, str(sandbox.tmp / "managed.json")]
    proc = subprocess.Popen(
        [sys.executable, "-m", "claude_models", *argv],
        env=env,
        cwd=sandbox.cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141
    assert err == b""


# ------------------------------------------------------------- 24: files that block


@pytest.mark.skipif(
    not os.access("/proc/kmsg", os.R_OK), reason="needs a readable /proc/kmsg (root on Linux)"
)
def test_a_settings_link_to_a_blocking_pseudo_file_does_not_hang(sandbox: Sandbox) -> None:
    """/proc/kmsg is a *regular* file of 0 bytes whose read blocks: resolve hung forever.
    A 0-byte file is now never read (nor anything opened without O_NONBLOCK)."""
    link = sandbox.home / ".claude" / "settings.json"
    link.parent.mkdir()
    link.symlink_to("/proc/kmsg")
    argv = ["resolve", "--json", *managed(sandbox)]
    r = run_cli(argv, env=base_env(sandbox.home), cwd=sandbox.cwd, timeout=30)
    assert r.code == 0, r.stderr
    assert r.json()["main"]["source"] == "default"


@pytest.mark.parametrize("where", ["user", "global", "agent"])
def test_a_fifo_anywhere_is_refused_without_blocking(sandbox: Sandbox, where: str) -> None:
    fifo = sandbox.tmp / "fifo"
    os.mkfifo(fifo)
    link = {
        "user": sandbox.home / ".claude" / "settings.json",
        "global": sandbox.home / ".claude.json",
        "agent": sandbox.home / ".claude" / "agents" / "mine.md",
    }[where]
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(fifo)
    argv = ["resolve", "--json", "--agent", '{"subagent_type": "mine"}', *managed(sandbox)]
    r = run_cli(argv, env=base_env(sandbox.home), cwd=sandbox.cwd, timeout=30)
    assert r.code == 0, r.stderr
    assert any("not a regular file" in w["message"] for w in r.json()["warnings"])


# ------------------------------------------------------------- 25: agent frontmatter


FRONTMATTER = [
    ("model: 'haiku' # fast", {"model": "haiku"}, []),
    ('model: "haiku" # fast', {"model": "haiku"}, []),
    ("model: haiku # fast", {"model": "haiku"}, []),
    ("model: sonnet#1", {"model": "sonnet#1"}, []),
    ("model: 'it''s'", {"model": "it's"}, []),
    ('model: "hai\\x6bu"', {"model": "haiku"}, []),
    ('model: "a\\"b"', {"model": 'a"b'}, []),
    ("model: ~", {}, []),
    ("model: null", {}, []),
    ("model:", {}, []),
    ("model: &m haiku", {}, ["model"]),
    ("model: *m", {}, ["model"]),
    ("model: !!str haiku", {}, ["model"]),
    ("model: |\n  haiku", {}, ["model"]),
    ("model: >-\n  haiku", {}, ["model"]),
    ("model: [haiku]", {}, ["model"]),
    ("model: {a: b}", {}, ["model"]),
    ("model: 'haiku", {}, ["model"]),
    ("model: 'haiku' extra", {}, ["model"]),
    ("model: claude-haiku\n  -5-5", {}, ["model"]),
    ("tools:\n  - Read\n  - model: nested\nmodel: opus", {"tools": None, "model": "opus"}, []),
    ("description: &d anchors elsewhere are not ours to judge\nmodel: opus", {"model": "opus"}, []),
]


@pytest.mark.parametrize(("body", "expected", "refused"), FRONTMATTER)
def test_frontmatter_subset(body: str, expected: dict[str, str | None], refused: list[str]) -> None:
    fm, problems = read_frontmatter(f"---\nname: mine\n{body}\n---\nprompt\n")
    want = {"name": "mine", **{k: v for k, v in expected.items() if v is not None}}
    assert fm == want
    assert [k for k, _ in problems] == refused


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff---\nmodel: haiku\n---\n",
        "---\r\nmodel: haiku\r\n---\r\n",
        "\ufeff---\r\nmodel: 'haiku' # c\r\n---\r\n",
        "---  \nmodel: haiku\n...\n",
    ],
    ids=["bom", "crlf", "bom-crlf-quoted", "dots-end"],
)
def test_frontmatter_bom_crlf_and_document_end(text: str) -> None:
    assert read_frontmatter(text) == ({"model": "haiku"}, [])


def _agent(sb: Sandbox, text: str) -> Path:
    p = sb.cwd / ".claude" / "agents" / "mine.md"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(text.encode("utf-8"))
    return p


def _subagent(sb: Sandbox) -> dict[str, object]:
    argv = ["resolve", "--json", "--agent", '{"subagent_type": "mine"}', *managed(sb)]
    r = run_cli(argv, env=base_env(sb.home), cwd=sb.cwd)
    assert r.code == 0, r.stderr
    out: dict[str, object] = r.json()
    return out


def test_a_quoted_model_with_a_comment_runs_that_model(sandbox: Sandbox) -> None:
    """``model: 'haiku' # c`` ran a model called ``'haiku'`` (quotes kept)."""
    _agent(sandbox, "\ufeff---\r\nname: mine\r\nmodel: 'haiku' # cheap\r\n---\r\nDo it.\r\n")
    out = _subagent(sandbox)
    sub = out["subagent"]
    assert isinstance(sub, dict)
    assert sub["model"] == "claude-haiku-5-5", sub


def test_an_anchor_is_refused_with_a_warning_naming_file_and_key(sandbox: Sandbox) -> None:
    p = _agent(sandbox, "---\nname: mine\nmodel: &m haiku\n---\n")
    out = _subagent(sandbox)
    warnings = out["warnings"]
    assert isinstance(warnings, list)
    assert any(
        str(p) in w["message"] and "'model'" in w["message"] and "anchor" in w["message"]
        for w in warnings
    ), warnings
