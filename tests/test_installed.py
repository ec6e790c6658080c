"""Which release is modelled: --claude-version, CLAUDE_MODELS_CLAUDE_VERSION, the installed
``claude`` (fake npm and native layouts in a temporary PATH), else the newest modelled."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from claude_models.installed import ReleaseError, choose, detect
from claude_models.registry import registry
from claude_models.releases import NEWEST, OLDEST, RELEASES
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox

REFERENCE = Path(__file__).resolve().parent.parent / "reference"


def script(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def npm_install(prefix: Path, version: str) -> Path:
    """``npm install -g`` layout: <prefix>/bin/claude -> ../lib/node_modules/@anthropic-ai/
    claude-code/bin/claude.exe, with the package's package.json. The exe would print a
    different version: detection must read package.json, not run it."""
    package = prefix / "lib/node_modules/@anthropic-ai/claude-code"
    exe = script(package / "bin/claude.exe", "echo '0.0.1 (Claude Code)'")
    (package / "package.json").write_text(
        json.dumps({"name": "@anthropic-ai/claude-code", "version": version}), encoding="utf-8"
    )
    (prefix / "bin").mkdir(parents=True, exist_ok=True)
    (prefix / "bin/claude").symlink_to(os.path.relpath(exe, prefix / "bin"))
    return prefix / "bin"


def native_install(home: Path, version: str, content: bytes | None = None) -> Path:
    """The native installer: ~/.local/bin/claude -> ~/.local/share/claude/versions/<V>."""
    target = home / ".local/share/claude/versions" / version
    target.parent.mkdir(parents=True, exist_ok=True)
    if content is None:
        script(target, "echo '0.0.1 (Claude Code)'")
    else:
        target.write_bytes(content)
        target.chmod(0o755)
    (home / ".local/bin").mkdir(parents=True, exist_ok=True)
    (home / ".local/bin/claude").symlink_to(target)
    return home / ".local/bin"


def env_for(sb: Sandbox, bindir: Path | None, **extra: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(bindir) if bindir else "", "/usr/bin:/bin") if p)
    return {"PATH": path, "HOME": str(sb.home), **extra}


def test_npm_layout_is_read_from_package_json(sandbox: Sandbox) -> None:
    env = env_for(sandbox, npm_install(sandbox.tmp / "npm", "2.1.330"))
    cc = choose(env)
    assert (cc.version, cc.source, cc.installed, cc.catalog) == (
        "2.1.330",
        "installed",
        "2.1.330",
        "bundled",
    )
    assert cc.installed_path == str(sandbox.tmp / "npm/bin/claude")
    assert cc.notes == ()


def test_native_layout_is_read_from_the_versions_folder(sandbox: Sandbox) -> None:
    env = env_for(sandbox, native_install(sandbox.home, "2.1.329"))
    cc = choose(env)
    assert (cc.version, cc.source, cc.installed) == ("2.1.329", "installed", "2.1.329")


def test_other_layouts_run_claude_version_and_cache_the_answer(sandbox: Sandbox) -> None:
    runs = sandbox.tmp / "runs"
    bindir = sandbox.tmp / "bin"
    script(bindir / "claude", f"echo run >> {runs}\necho '2.1.331 (Claude Code)'")
    env = env_for(sandbox, bindir)
    assert detect(env)[0] == "2.1.331"
    assert detect(env)[0] == "2.1.331"
    assert runs.read_text().count("run") == 1  # the second answer came from the cache
    cache = json.loads((sandbox.home / ".cache/claude-models/installed.json").read_text())
    assert [v["version"] for v in cache["binaries"].values()] == ["2.1.331"]
    # a new binary at the same path (size/mtime change) is asked again
    time.sleep(0.01)
    script(bindir / "claude", f"echo run >> {runs}\necho '2.1.332 (Claude Code)'  ")
    assert detect(env)[0] == "2.1.332"
    assert runs.read_text().count("run") == 2


def test_the_cache_follows_xdg_cache_home(sandbox: Sandbox) -> None:
    bindir = sandbox.tmp / "bin"
    script(bindir / "claude", "echo '2.1.331 (Claude Code)'")
    env = env_for(sandbox, bindir, XDG_CACHE_HOME=str(sandbox.tmp / "xdg"))
    detect(env)
    assert (sandbox.tmp / "xdg/claude-models/installed.json").is_file()
    assert not (sandbox.home / ".cache").exists()


def test_a_hanging_claude_is_killed_after_two_seconds(sandbox: Sandbox) -> None:
    pidfile = sandbox.tmp / "child.pid"
    bindir = sandbox.tmp / "bin"
    script(bindir / "claude", f"sleep 60 &\necho $! > {pidfile}\nwait")
    env = env_for(sandbox, bindir)
    started = time.monotonic()
    cc = choose(env)
    assert time.monotonic() - started < 5
    assert (cc.version, cc.source, cc.installed) == (NEWEST, "newest modelled", None)
    assert len(cc.notes) == 1 and "did not answer within 2 s" in cc.notes[0]
    assert str(bindir / "claude") in cc.notes[0]
    child = int(pidfile.read_text())
    time.sleep(0.2)
    stat = Path(f"/proc/{child}/stat")
    # its process group went with it (gone, or a zombie waiting for init to reap it)
    assert not stat.exists() or stat.read_text().split(") ")[1].startswith("Z")


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("echo 'claude 3.4.5 (some other tool)'", "does not print a Claude Code version"),
        ("exit 3", "does not print a Claude Code version"),
    ],
)
def test_a_claude_that_is_not_claude_code_is_ignored(sandbox: Sandbox, body: str, why: str) -> None:
    bindir = sandbox.tmp / "bin"
    script(bindir / "claude", body)
    cc = choose(env_for(sandbox, bindir))
    assert (cc.version, cc.installed) == (NEWEST, None)
    assert len(cc.notes) == 1 and why in cc.notes[0] and "ignored" in cc.notes[0]


@pytest.mark.parametrize(
    "content",
    [b"\x7fELF\x00garbage" * 10, b"#!/nonexistent/interpreter\n"],
    ids=["not-runnable", "missing-interpreter"],
)
def test_an_unreadable_claude_is_ignored_with_a_warning(sandbox: Sandbox, content: bytes) -> None:
    bindir = sandbox.tmp / "bin"
    bindir.mkdir()
    (bindir / "claude").write_bytes(content)
    (bindir / "claude").chmod(0o755)
    cc = choose(env_for(sandbox, bindir))
    assert (cc.version, cc.installed) == (NEWEST, None)
    assert len(cc.notes) == 1 and "cannot run it" in cc.notes[0]


def test_no_claude_on_path_models_the_newest(sandbox: Sandbox) -> None:
    cc = choose(env_for(sandbox, None))
    assert (cc.version, cc.source, cc.installed, cc.notes) == (NEWEST, "newest modelled", None, ())


def test_detection_reads_the_snapshots_path_not_the_process(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(npm_install(sandbox.tmp / "npm", "2.1.330")))
    assert choose({"HOME": str(sandbox.home), "PATH": "/nonexistent"}).installed is None


def test_an_older_release_models_the_oldest_with_a_warning(sandbox: Sandbox) -> None:
    cc = choose(env_for(sandbox, native_install(sandbox.home, "2.1.300")))
    assert (cc.version, cc.installed) == (OLDEST, "2.1.300")
    assert "older than any modelled" in cc.notes[0] and OLDEST in cc.notes[0]


def _bundle_from_reference(version: str, *, vertex_sonnet: str) -> bytes:
    """A fake newer release: the 2.1.332 catalog (JSON is a JavaScript literal too) with one
    alias moved, padded to a binary's size."""
    catalog = json.loads((REFERENCE / f"claude-code-{version}-model-catalog.json").read_text())
    catalog.pop("note")
    retirements = catalog.pop("deprecations")
    catalog["aliases"]["sonnet"]["per_provider"]["vertex"] = vertex_sonnet
    literal = json.dumps(catalog, separators=(",", ":"))
    literal = '{"//":"Hand-maintained baked-in model catalog","' + literal[2:]
    js = f"var a={literal};var MA={json.dumps(retirements, separators=(',', ':'))};"
    return b"\x00" * (1 << 20) + js.encode() + b"\x00" * 1024


def test_a_newer_release_uses_the_newest_rules_and_its_own_catalog(sandbox: Sandbox) -> None:
    content = _bundle_from_reference("2.1.332", vertex_sonnet="claude-sonnet-5")
    env = env_for(sandbox, native_install(sandbox.home, "2.1.333", content))
    cc = choose(env)
    assert (cc.version, cc.installed, cc.catalog) == (NEWEST, "2.1.333", "installed")
    assert cc.registry is not None
    assert cc.registry.aliases["sonnet"].target("vertex") == "claude-sonnet-5"
    assert registry(NEWEST).aliases["sonnet"].target("vertex") == "claude-sonnet-5-5"
    assert "newer than any modelled" in cc.notes[0]
    cached = list((sandbox.home / ".cache/claude-models").glob("catalog-2.1.333-*.json"))
    assert len(cached) == 1
    # the second run reads the cached catalog
    assert choose(env).registry == cc.registry


def test_a_newer_release_whose_catalog_cannot_be_read(sandbox: Sandbox) -> None:
    env = env_for(sandbox, native_install(sandbox.home, "2.1.333", b"\x00" * (2 << 20)))
    cc = choose(env)
    assert (cc.version, cc.installed, cc.catalog, cc.registry) == (
        NEWEST,
        "2.1.333",
        "bundled",
        None,
    )
    path = sandbox.home / ".local/share/claude/versions/2.1.333"
    assert str(path) in cc.notes[0] and "bundled catalog" in cc.notes[0]


@pytest.mark.parametrize(
    ("given", "env_value", "version", "source"),
    [
        ("2.1.328", None, "2.1.328", "--claude-version"),
        ("2.1.328", "2.1.330", "2.1.328", "--claude-version"),
        (None, "2.1.330", "2.1.330", "CLAUDE_MODELS_CLAUDE_VERSION"),
    ],
)
def test_explicit_choices_beat_the_installed_release(
    sandbox: Sandbox, given: str | None, env_value: str | None, version: str, source: str
) -> None:
    extra = {"CLAUDE_MODELS_CLAUDE_VERSION": env_value} if env_value else {}
    env = env_for(sandbox, npm_install(sandbox.tmp / "npm", "2.1.332"), **extra)
    cc = choose(env, given)
    assert (cc.version, cc.source, cc.installed) == (version, source, "2.1.332")
    assert "installed" in cc.notes[0] and "2.1.332" in cc.notes[0]


@pytest.mark.parametrize(
    ("value", "what"),
    [("2.1.999", "is not modelled"), ("latest", "is not a Claude Code version"), ("", "")],
)
def test_bad_versions_are_refused_listing_the_modelled(value: str, what: str) -> None:
    if not value:
        assert choose({"CLAUDE_MODELS_CLAUDE_VERSION": " "}).source == "newest modelled"
        return
    with pytest.raises(ReleaseError, match=what) as err:
        choose({}, value)
    assert ", ".join(RELEASES) in str(err.value)


# -- through the CLI ------------------------------------------------------------------------


def test_resolve_json_has_the_claude_code_field(sandbox: Sandbox) -> None:
    bindir = npm_install(sandbox.tmp / "npm", "2.1.330")
    env = base_env(sandbox.home, {"PATH": f"{bindir}:/usr/bin:/bin"})
    out = run_cli(["resolve", "--json"], env=env, cwd=sandbox.cwd).json()
    assert out["claude_code"] == {
        "version": "2.1.330",
        "source": "installed",
        "installed": {"version": "2.1.330", "path": str(bindir / "claude")},
        "catalog": "bundled",
    }
    out = run_cli(["resolve", "--claude-version", "2.1.328"], env=env, cwd=sandbox.cwd).json()
    assert out["claude_code"]["version"] == "2.1.328"
    assert out["claude_code"]["source"] == "--claude-version"
    # the pinned --managed-settings path does not exist: managed_policy_missing comes too
    codes = [w["code"] for w in out["warnings"]]
    assert [c for c in codes if c != "managed_policy_missing"] == ["claude_code_release"]


def test_without_claude_the_cli_models_the_newest(sandbox: Sandbox) -> None:
    out = run_cli(["resolve"], env=base_env(sandbox.home), cwd=sandbox.cwd).json()
    assert out["claude_code"] == {
        "version": NEWEST,
        "source": "newest modelled",
        "installed": None,
        "catalog": "bundled",
    }


@pytest.mark.parametrize("command", ["resolve", "explain", "doctor", "models", "diff"])
@pytest.mark.parametrize("value", ["2.1.999", "two"])
def test_a_bad_claude_version_exits_2_on_one_line(
    sandbox: Sandbox, command: str, value: str
) -> None:
    args = [command, "--claude-version", value]
    if command == "diff":
        args = ["diff", "--from", value]
    run = run_cli(args, env=base_env(sandbox.home), cwd=sandbox.cwd)
    assert run.code == 2
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert ", ".join(RELEASES) in run.stderr


def test_a_bad_environment_version_exits_2(sandbox: Sandbox) -> None:
    env = base_env(sandbox.home, {"CLAUDE_MODELS_CLAUDE_VERSION": "2.1"})
    run = run_cli(["resolve"], env=env, cwd=sandbox.cwd)
    assert run.code == 2
    assert run.stderr.startswith("claude-models: error: CLAUDE_MODELS_CLAUDE_VERSION: '2.1'")


def test_explain_names_the_release_on_its_first_line(sandbox: Sandbox) -> None:
    bindir = native_install(sandbox.home, "2.1.331")
    env = base_env(sandbox.home, {"PATH": f"{bindir}:/usr/bin:/bin"})
    first = run_cli(["explain"], env=env, cwd=sandbox.cwd).stdout.splitlines()[0]
    assert first == f"Modelling Claude Code 2.1.331 (installed at {bindir / 'claude'})"
    first = run_cli(
        ["explain", "--claude-version", "2.1.328"], env=env, cwd=sandbox.cwd
    ).stdout.splitlines()[0]
    assert first == "Modelling Claude Code 2.1.328 (--claude-version)"
    first = run_cli(["explain"], env=base_env(sandbox.home), cwd=sandbox.cwd).stdout
    assert first.splitlines()[0] == (
        f"Modelling Claude Code {NEWEST} (newest modelled; no claude found)"
    )


def test_doctor_warns_when_modelled_and_installed_differ(sandbox: Sandbox) -> None:
    bindir = native_install(sandbox.home, "2.1.332")
    env = base_env(sandbox.home, {"PATH": f"{bindir}:/usr/bin:/bin"})
    run = run_cli(["doctor", "--claude-version", "2.1.329"], env=env, cwd=sandbox.cwd)
    assert "[claude_code_release] modelling Claude Code 2.1.329 (--claude-version)" in run.stdout
    assert "is 2.1.332" in run.stdout
    same = run_cli(["doctor", "--claude-version", "2.1.332"], env=env, cwd=sandbox.cwd)
    assert "claude_code_release" not in same.stdout


def test_a_native_version_that_links_elsewhere_is_still_read_from_the_layout(
    sandbox: Sandbox,
) -> None:
    """~/.local/bin/claude -> versions/2.1.330 -> some other file: the version is the hop's."""
    elsewhere = script(sandbox.tmp / "store/blob", "echo '0.0.1 (Claude Code)'")
    versions = sandbox.home / ".local/share/claude/versions"
    versions.mkdir(parents=True)
    (versions / "2.1.330").symlink_to(elsewhere)
    (sandbox.home / ".local/bin").mkdir(parents=True)
    (sandbox.home / ".local/bin/claude").symlink_to(versions / "2.1.330")
    cc = choose(env_for(sandbox, sandbox.home / ".local/bin"))
    assert (cc.version, cc.installed) == ("2.1.330", "2.1.330")
