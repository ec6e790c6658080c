"""The harness commands without the Claude Code binary: the command line (one-line errors, exit
2), fetch's cache reuse, the managed-policy guard, process-group killing on timeout, request
roles, drift and score over the stored observations."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from tools.follow import compare, drift, fetch, observe
from tools.follow import scenarios as sc

from tests.clirun import base_env
from tests.conftest import Sandbox

ROOT = Path(__file__).resolve().parent.parent
OBSERVED = ROOT / "tests" / "observed"


HOME = Path(tempfile.mkdtemp(prefix="follow-test-home-"))


def follow(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = base_env(HOME)  # a fresh HOME; the suite's machine guard follows the child
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env["PYTHONPATH"]])
    return subprocess.run(
        [sys.executable, "-m", "tools.follow", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "required: cmd"),
        (("fetch",), "version"),
        (("fetch", "latest"), "expected a release like"),
        (("fetch", "2.1.332; rm -rf /"), "expected a release like"),
        (("observe", "--out", "x"), "--claude"),
        (("observe", "--claude", "/nonexistent/claude", "--out", "x"), "not an executable file"),
        (("observe", "--claude", sys.executable, "--out", "x", "--jobs", "0"), "--jobs"),
        (("score",), "--observed"),
        (("score", "--observed", "/nonexistent/dir"), "not a folder of observations"),
        (("drift", "/nonexistent/a"), "dir_b"),
        (("drift", "/nonexistent/a", "/nonexistent/b"), "not a folder of observations"),
        (("bogus",), "invalid choice"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(args: tuple[str, ...], says: str) -> None:
    run = follow(*args, timeout=120)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert says in lines[0]
    assert "Traceback" not in run.stderr


def test_observe_refuses_the_npm_placeholder(tmp_path: Path) -> None:
    placeholder = tmp_path / "claude.exe"
    placeholder.write_text("#!/bin/sh\necho placeholder\n")
    placeholder.chmod(0o755)
    run = follow("observe", "--claude", str(placeholder), "--out", str(tmp_path / "o"), timeout=120)
    assert run.returncode == 2
    assert "placeholder" in run.stderr


def test_fetch_reuses_an_installed_release(tmp_path: Path) -> None:
    """Idempotent: a cache folder that holds the binary is returned as is, npm is not run."""
    binary = tmp_path / "2.1.999" / "node_modules" / "@anthropic-ai" / fetch.platform_package()
    binary.mkdir(parents=True)
    (binary / "claude").write_bytes(b"\0" * 2_000_000)
    wrapper = tmp_path / "2.1.999" / "node_modules" / "@anthropic-ai" / "claude-code" / "bin"
    wrapper.mkdir(parents=True)
    (wrapper / "claude.exe").write_text("placeholder")
    assert fetch.fetch("2.1.999", cache=tmp_path) == binary / "claude"
    assert not (tmp_path / "2.1.999" / "npm.log").exists()


def test_fetch_folder_without_binary_is_not_taken_for_installed(tmp_path: Path) -> None:
    (tmp_path / "2.1.998" / "node_modules" / "@anthropic-ai" / fetch.platform_package()).mkdir(
        parents=True
    )
    assert fetch.binary_in(tmp_path / "2.1.998") is None


def test_managed_policy_is_written_then_removed(tmp_path: Path) -> None:
    path = tmp_path / "etc" / "claude-code" / "managed-settings.json"
    with observe.managed_policy({"deniedModels": ["opus"]}, path):
        assert json.loads(path.read_text()) == {"deniedModels": ["opus"]}
    assert not path.exists()
    assert not path.parent.exists()  # the folder the harness created goes too


def test_managed_policy_removed_on_interrupt(tmp_path: Path) -> None:
    path = tmp_path / "managed-settings.json"
    with pytest.raises(KeyboardInterrupt), observe.managed_policy({"model": "haiku"}, path):
        raise KeyboardInterrupt
    assert not path.exists()
    assert tmp_path.exists()  # an existing folder stays


def test_managed_policy_never_overwrites_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "managed-settings.json"
    path.write_text('{"model": "real policy"}')
    with (
        pytest.raises(observe.HarnessError, match="already exists"),
        observe.managed_policy({"model": "haiku"}, path),
    ):
        pass
    assert path.read_text() == '{"model": "real policy"}'


def test_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    script = f"sleep 300 & echo $! > {pidfile}; wait"
    started = time.monotonic()
    code, _, _, timed_out = observe._run(
        ["/bin/sh", "-c", script], {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, tmp_path, 1.0
    )
    assert timed_out
    assert code is None
    assert time.monotonic() - started < 30
    child = int(pidfile.read_text())
    for _ in range(50):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the background child outlived the run")


def _rec(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"kind": "messages", "agent_id": None, "max_tokens": 128000, "tools": []}
    return {**base, **fields}


@pytest.mark.parametrize(
    ("rec", "role"),
    [
        (_rec(tools=["Agent", "Bash"]), "main"),
        (_rec(tools=["Bash"], agent_id="a1b2"), "subagent"),
        (_rec(system_head="... You are evaluating a hook in Claude Code"), "side:hook"),
        (_rec(max_tokens=1), "probe"),
        (_rec(user_head="\nWeb page content:\n---\nFake page"), "side:webfetch"),
        (_rec(), "side:other"),
        (_rec(kind="bedrock-stream", tools=["Bash"]), "main"),
        (_rec(kind="profiles"), "profiles"),
        (_rec(kind="profile"), "profiles"),
        (_rec(kind="count_tokens"), "count_tokens"),
        (_rec(kind="page"), "other"),
    ],
)
def test_request_roles(rec: dict[str, Any], role: str) -> None:
    assert observe.role_of(rec) == role


def test_corpus_covers_every_group() -> None:
    names = [s["name"] for s in sc.corpus()]
    prefixes = {n.split("_", 1)[0] for n in names}
    assert prefixes == {
        "al", "rg", "id", "pr", "mg", "ov", "ls", "ef", "cx", "pl", "sq", "sa", "fb", "fm",
        "bp", "mo", "ub", "rf", "vr",
    }  # fmt: skip
    # every alias on every provider
    for p in sc.PROVIDERS:
        assert f"al_{p}_default" in names
        assert f"al_{p}_opusplan" in names
    statuses = {r["status"] for s in sc.corpus() for r in s["server"]["refuse"]}
    assert {404, 403, 529} <= statuses
    assert any(sc.is_managed(s) for s in sc.corpus())


def test_refusal_replies_are_stored_only_where_a_scenario_asks_for_them() -> None:
    """``server.refusal`` is added only when given: the stored scenarios of older observations
    stay equal to the corpus."""
    plain = sc.S("x", "x", sc.fp())
    refused = sc.S("x", "x", sc.fp(), refusal=[("opus-5-5", None), ("opus-4-8", 1)])
    assert "refusal" not in plain["server"]
    assert refused["server"]["refusal"] == [
        {"model_contains": "opus-5-5", "times": None},
        {"model_contains": "opus-4-8", "times": 1},
    ]
    assert any("refusal" in s["server"] for s in sc.corpus())


def test_observation_keeps_the_betas_a_scenario_names() -> None:
    """Each request's ``betas`` keeps the model-system ones and those ``ANTHROPIC_BETAS``
    names (split on commas, trimmed); Claude Code's own others are left out."""
    scenario = sc.S("x", "x", sc.fp(ANTHROPIC_BETAS=" foo-1 ,, bar-2"), agent=sc.agent("sonnet"))
    own = ["claude-code-20250219", "effort-2025-11-24", "context-1m-2025-08-07"]
    ok = {"status": 200, "tool": None}
    log = [
        _rec(tools=["Agent"], betas=[*own, "foo-1", "bar-2"], reply=ok),
        _rec(system_head="evaluating a hook", betas=[*own, "foo-1"], reply=ok),
        _rec(tools=["Bash"], agent_id="a1", betas=[*own, "bar-2", "baz-3"], reply=ok),
    ]
    obs = observe._observation(
        log, result=None, code=0, stderr="", timed_out=False, scenario=scenario
    )
    assert observe.user_betas(scenario) == ("foo-1", "bar-2")
    assert obs["main"][0]["betas"] == ["context-1m-2025-08-07", "foo-1", "bar-2"]
    assert obs["side"]["hook"][0]["betas"] == ["context-1m-2025-08-07", "foo-1"]
    assert obs["subagent"][0]["betas"] == ["context-1m-2025-08-07", "bar-2"]
    without = observe._observation(
        log, result=None, code=0, stderr="", timed_out=False, scenario=sc.S("x", "x", sc.fp())
    )
    assert without["main"][0]["betas"] == ["context-1m-2025-08-07"]


@pytest.mark.parametrize("named", [True, False])
def test_compare_checks_every_beta_only_where_the_scenario_adds_some(named: bool) -> None:
    env = sc.fp(ANTHROPIC_BETAS="foo-1") if named else sc.fp()
    record = json.loads((OBSERVED / "2.1.332" / "ub_fp_subagent.json").read_text())
    record["scenario"] = sc.S("x", "x", env, agent=sc.agent("sonnet"))
    record["observation"]["main"][0]["betas"] = ["foo-1", "context-1m-2025-08-07", "foo-1"]
    static = compare.observed_static(record)
    assert ("main.betas" in static, "subagent.betas" in static) == (named, named)
    if named:
        assert static["main.betas"] == ["context-1m-2025-08-07", "foo-1"]
        resolved = {"main": {"betas": ["foo-1", "context-1m-2025-08-07"]}}
        assert compare.lookup(resolved, "main.betas") == static["main.betas"]
        assert compare.diff({"main.betas": ["foo-1"]}, resolved) == {
            "main.betas": (["foo-1"], ["context-1m-2025-08-07", "foo-1"])
        }


def test_drift_against_itself_is_empty() -> None:
    run = follow("drift", str(OBSERVED / "2.1.332"), str(OBSERVED / "2.1.332"))
    assert run.returncode == 0, run.stderr
    n = len(list((OBSERVED / "2.1.332").glob("*.json")))
    assert run.stdout.strip().splitlines()[-1] == f"0/{n} scenarios changed"


def test_drift_reports_a_changed_field(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    for name in ("al_fp_default", "al_vx_sonnet"):
        shutil.copy(OBSERVED / "2.1.332" / f"{name}.json", a)
    shutil.copytree(a, b)
    rec = json.loads((b / "al_vx_sonnet.json").read_text())
    rec["release"] = "9.9.9"
    rec["observation"]["main"][0]["model"] = "claude-sonnet-9"
    (b / "al_vx_sonnet.json").write_text(json.dumps(rec))
    lines, changed, common = drift.drift(
        [json.loads(p.read_text()) for p in sorted(a.glob("*.json"))],
        [json.loads(p.read_text()) for p in sorted(b.glob("*.json"))],
    )
    assert (changed, common) == (1, 2)
    assert '    static.main.model: "claude-sonnet-5-5" -> "claude-sonnet-9"' in lines


@pytest.mark.skipif(not (OBSERVED / "2.1.328").is_dir(), reason="2.1.328 observations not stored")
def test_drift_328_to_332_shows_the_vertex_sonnet_alias_change() -> None:
    run = follow("drift", str(OBSERVED / "2.1.328"), str(OBSERVED / "2.1.332"))
    assert run.returncode == 0, run.stderr
    assert (
        '    static.main.model: "claude-sonnet-4-5@20250929" -> "claude-sonnet-5-5"' in run.stdout
    )
    assert re.fullmatch(r"\d+/\d+ scenarios changed", run.stdout.strip().splitlines()[-1])


def test_score_prints_per_field_and_the_last_line(tmp_path: Path) -> None:
    for name in ("al_fp_default", "al_bd_haiku"):
        shutil.copy(OBSERVED / "2.1.332" / f"{name}.json", tmp_path)
    run = follow("score", "--observed", str(tmp_path))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[-1] == "2/2 scenarios match", run.stdout
    assert any(line.strip().startswith("ask.models_tried") for line in lines)
    assert any(line.strip().startswith("main.model ") for line in lines)


def test_known_keeps_reasons_and_drops_matching_entries(tmp_path: Path) -> None:
    obs = tmp_path / "obs"
    obs.mkdir()
    for name in ("al_fp_default", "al_vx_sonnet", "al_mt_sonnet"):
        shutil.copy(OBSERVED / "2.1.332" / f"{name}.json", obs)
    known = tmp_path / "KNOWN_DIFFS.json"
    known.write_text(
        json.dumps(
            {
                "al_vx_sonnet": {"fields": ["main.model"], "reason": "the Vertex alias moved"},
                "al_fp_default": {"fields": ["main.model"], "reason": "stale entry"},
            }
        )
    )
    run = follow("known", "--observed", str(obs), "--file", str(known), "--write")
    assert run.returncode == 0, run.stderr
    out = json.loads(known.read_text())
    if "al_vx_sonnet" in out:  # the project may model 2.1.332's Vertex sonnet by now
        assert out["al_vx_sonnet"]["reason"] == "the Vertex alias moved"
        assert "main.model" in out["al_vx_sonnet"]["fields"]
    assert "al_fp_default" not in out  # it matches: the entry goes
    if "al_mt_sonnet" in out:
        assert out["al_mt_sonnet"]["reason"].startswith("unexplained: ")


@pytest.mark.parametrize(
    ("text", "stable"),
    [
        (
            "check your inference gateway (127.0.0.1:38573)",
            "check your inference gateway (127.0.0.1:PORT)",
        ),
        ("http://[::1]:8080/v1", "http://[::1]:PORT/v1"),
        ("no address here", "no address here"),
        (None, None),
    ],
)
def test_error_texts_lose_the_fake_apis_port(text: str | None, stable: str | None) -> None:
    """The port changes every run; an observation must not (determinism)."""
    assert observe._unport(text) == stable


# -- the scenario files writer (one for the harness and the tests) ------------------------------

# (the files key, the root it lands under, the path under that root)
FILE_KEYS = [
    (sc.USER, "home", ".claude/settings.json"),
    (sc.PROJECT, "cwd", ".claude/settings.json"),
    (sc.LOCAL, "cwd", ".claude/settings.local.json"),
    (".claude/agents/probe.md", "cwd", ".claude/agents/probe.md"),
    (sc.FLAG, "tmp", "flag-settings.json"),
    (sc.MANAGED, "tmp", "managed-settings.json"),
]


@pytest.mark.parametrize(("key", "root", "rel"), FILE_KEYS)
def test_write_files_puts_each_key_where_it_belongs(
    sandbox: Sandbox, key: str, root: str, rel: str
) -> None:
    flags = sc.write_files(
        {key: {"model": "haiku"}}, home=sandbox.home, cwd=sandbox.cwd, tmp=sandbox.tmp
    )
    path = getattr(sandbox, root) / rel
    assert json.loads(path.read_text(encoding="utf-8")) == {"model": "haiku"}
    want = {sc.FLAG: ["--settings", str(path)], sc.MANAGED: ["--managed-settings", str(path)]}
    assert flags == want.get(key, [])


def test_write_files_keeps_text_verbatim_and_leaves_managed_to_the_binary(
    sandbox: Sandbox,
) -> None:
    """``managed=False`` (observe: the binary reads ``/etc``) writes no policy and names none."""
    agent = sc.PROBE_AGENT.format(model="haiku")
    files = {".claude/agents/probe.md": agent, sc.MANAGED: {"model": "haiku"}}
    flags = sc.write_files(
        files, home=sandbox.home, cwd=sandbox.cwd, tmp=sandbox.tmp, managed=False
    )
    assert flags == []
    assert (sandbox.cwd / ".claude/agents/probe.md").read_text(encoding="utf-8") == agent
    assert list(sandbox.tmp.iterdir()) == []


# "{tmp}" stands for the sandbox's absolute scratch folder (never a real system path, so a
# broken check writes nothing outside the sandbox)
ESCAPING_KEYS = ["{tmp}/x.json", "../x.json", "a/../../x.json", "~/../x.json", "~root/x", "~", ""]


@pytest.mark.parametrize("key", ESCAPING_KEYS)
def test_write_files_refuses_a_key_that_leaves_home_or_cwd(sandbox: Sandbox, key: str) -> None:
    key = key.format(tmp=sandbox.tmp)
    before = sorted(p.name for p in sandbox.home.parent.iterdir())
    with pytest.raises(ValueError, match=re.escape(repr(key))):
        sc.write_files({key: {}}, home=sandbox.home, cwd=sandbox.cwd, tmp=sandbox.tmp)
    assert sorted(p.name for p in sandbox.home.parent.iterdir()) == before
    for folder in (sandbox.home, sandbox.cwd, sandbox.tmp):
        assert list(folder.iterdir()) == []


def test_write_files_refuses_a_symlink_leading_out(sandbox: Sandbox) -> None:
    (sandbox.cwd / ".claude").symlink_to(sandbox.tmp, target_is_directory=True)
    with pytest.raises(ValueError, match="symlink"):
        sc.write_files({sc.PROJECT: {}}, home=sandbox.home, cwd=sandbox.cwd, tmp=sandbox.tmp)
    assert list(sandbox.tmp.iterdir()) == []


@pytest.mark.parametrize("managed", [True, False])
def test_compare_names_a_missing_policy_when_the_scenario_has_none(
    sandbox: Sandbox, managed: bool
) -> None:
    """``claude-models resolve`` in the harness never reads the machine's policy."""
    files = {sc.MANAGED: {"model": "haiku"}} if managed else {}
    scenario = sc.S("x", "x", sc.fp(), files=files)
    flags = compare.write_inputs(scenario, sandbox.home, sandbox.cwd, sandbox.tmp)
    policy = str(sandbox.tmp / "managed-settings.json") if managed else compare.NO_MANAGED
    assert flags == ["--managed-settings", policy]
