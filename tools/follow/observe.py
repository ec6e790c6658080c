"""Run the real Claude Code binary on scenarios, offline, and record what it sent.

Each scenario runs ``BIN -p hi --output-format json [flags]`` with a fresh HOME and cwd, an
environment built from nothing (PATH, HOME, the harness's variables, the scenario's), provider
URLs pointing at its own loopback ``FakeAPI``, ``HTTP(S)_PROXY`` pointing there too (so any stray
request is caught and logged instead of leaving the machine), fake credentials only, a hard
timeout, and its own process group, killed by its PID when the run is over.

Managed-policy scenarios write ``/etc/claude-code/managed-settings.json``: only with
``allow_managed``, only when no policy file exists, one at a time with nothing else running,
and the file (and the folder, if the harness created it) is always removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

from tools.follow import scenarios as sc
from tools.follow.fakeapi import FakeAPI, self_signed_cert

MANAGED_PATH: Final = Path("/etc/claude-code/managed-settings.json")
TIMEOUT: Final = 90.0
PROMPT: Final = "hi"
BASE_ENV: Final = {
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "DISABLE_AUTOUPDATER": "1",
    "DISABLE_TELEMETRY": "1",
    "DISABLE_ERROR_REPORTING": "1",
    "DISABLE_BUG_COMMAND": "1",
    "CLAUDE_CODE_ENABLE_TELEMETRY": "0",
    "NO_PROXY": "127.0.0.1,localhost,::1",
    "TERM": "dumb",
    "LANG": "C.UTF-8",
}
# Fields of an observation that change from run to run (never compared).
VOLATILE: Final = ("timing",)
HOOK_MARK: Final = "evaluating a hook"
WEBFETCH_MARK: Final = "Web page content"
SIDE_EFFECTS: Final = ("context-1m-", "fast-mode-")


class HarnessError(Exception):
    """A condition the harness refuses to run under (one line for the user)."""


def release_of(binary: Path) -> str:
    """``2.1.332`` from ``BIN --version`` (``2.1.332 (Claude Code)``)."""
    out = subprocess.run(
        [str(binary), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tempfile.gettempdir(),
            "DISABLE_AUTOUPDATER": "1",
        },
        check=False,
        start_new_session=True,
    )
    words = out.stdout.split()
    if out.returncode != 0 or not words:
        raise HarnessError(f"{binary}: `--version` failed (exit {out.returncode})")
    return words[0]


# -- managed policy ---------------------------------------------------------------------------


@contextlib.contextmanager
def managed_policy(content: Any, path: Path = MANAGED_PATH) -> Iterator[None]:
    """Write the policy file for the duration of the block; always remove it after."""
    if path.exists() or path.is_symlink():
        raise HarnessError(f"{path} already exists: refusing to overwrite a real managed policy")
    created_dir = not path.parent.exists()
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
    in_main = threading.current_thread() is threading.main_thread()

    def _interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        if in_main:
            for sig in previous:
                signal.signal(sig, _interrupt)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content if isinstance(content, str) else json.dumps(content, indent=2))
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        if created_dir:
            with contextlib.suppress(OSError):
                path.parent.rmdir()
        if in_main:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


# -- one run ----------------------------------------------------------------------------------


def _run(
    cmd: list[str], env: dict[str, str], cwd: Path, timeout: float
) -> tuple[int | None, str, str, bool]:
    """Run in a new session (its own process group); kill the group by the child's PID."""
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    # whatever the binary left behind in its group goes too
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    return (None if timed_out else proc.returncode), out, err, timed_out


def _result_json(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.strip().splitlines()):
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return None


def role_of(rec: Mapping[str, Any]) -> str:
    """main | subagent | side:hook | side:other | probe | profiles | count_tokens | other."""
    kind = rec["kind"]
    if kind in ("profiles", "profile"):
        return "profiles"
    if kind in ("count_tokens", "bedrock-count-tokens", "vertex-count-tokens"):
        return "count_tokens"
    if kind not in ("messages", "bedrock", "bedrock-stream", "vertex", "vertex-stream"):
        return "other"
    if rec.get("agent_id"):
        return "subagent"
    if rec.get("max_tokens") == 1:
        return "probe"
    if HOOK_MARK in (rec.get("system_head") or ""):
        return "side:hook"
    if (rec.get("user_head") or "").lstrip().startswith(WEBFETCH_MARK):
        return "side:webfetch"
    if rec.get("tools"):
        return "main"
    return "side:other"


def user_betas(scenario: Mapping[str, Any]) -> tuple[str, ...]:
    """The betas the scenario names in ``ANTHROPIC_BETAS`` (split on commas, trimmed): kept in
    each request's ``betas`` beside the model-system ones (:data:`SIDE_EFFECTS`)."""
    value = (scenario.get("env") or {}).get("ANTHROPIC_BETAS") or ""
    return tuple(b.strip() for b in value.split(",") if b.strip())


def summarize(rec: Mapping[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """One request, without ids or timings; ``betas``: the model-system ones and ``keep``."""
    thinking = rec.get("thinking")
    return {
        "model": rec.get("model"),
        "status": (rec.get("reply") or {}).get("status"),
        "stream": rec.get("stream"),
        "max_tokens": rec.get("max_tokens"),
        "effort": rec.get("effort"),
        "thinking": None
        if not isinstance(thinking, dict)
        else {"type": thinking.get("type"), "budget_tokens": thinking.get("budget_tokens")},
        "betas": [b for b in rec.get("betas") or [] if b.startswith(SIDE_EFFECTS) or b in keep],
        "speed": rec.get("speed"),
        "location": rec.get("location"),
    }


def collapse(models: list[str | None]) -> list[str | None]:
    """Consecutive repeats (retries of one model) collapsed to one entry."""
    return [m for i, m in enumerate(models) if i == 0 or models[i - 1] != m]


def observe_one(
    scenario: sc.Scenario, binary: Path, release: str, *, timeout: float = TIMEOUT
) -> dict[str, Any]:
    """Run one scenario and return its observation record."""
    server = scenario.get("server") or {}
    webfetch = "webfetch" in (scenario.get("side") or "")
    with contextlib.ExitStack() as stack:
        root = stack.enter_context(tempfile.TemporaryDirectory(prefix="follow-"))
        api = stack.enter_context(FakeAPI(profiles=server.get("profiles")))
        home, cwd, tmp = Path(root, "home"), Path(root, "work"), Path(root, "tmp")
        for p in (home, cwd, tmp):
            p.mkdir()
        for rule in server.get("refuse") or []:
            api.refuse(rule["model_contains"], rule["status"], times=rule.get("times"))
        for rule in server.get("refusal") or []:
            api.reply_refusal(rule["model_contains"], times=rule.get("times"))
        if scenario.get("agent") is not None:
            api.reply_tool_use("Agent", scenario["agent"])
        web_args: list[str] = []
        web_env: dict[str, str] = {}
        if webfetch:
            # WebFetch upgrades http:// to https://: a TLS page the binary is told to trust
            cert, key = self_signed_cert(Path(root))
            page = stack.enter_context(FakeAPI(tls=(cert, key)))
            api.script(
                tool="WebFetch",
                tool_input={"url": f"{page.url}/article", "prompt": "Summarize the page"},
                times=1,
                main_only=True,
                offered_tool="Agent",
            )
            web_args = ["--allowedTools", "WebFetch"]
            web_env = {"NODE_EXTRA_CA_CERTS": str(cert)}
        files = sc.effective_files(scenario)
        extra = sc.write_files(files, home=home, cwd=cwd, tmp=tmp, managed=False)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "TMPDIR": str(tmp),
        }
        env.update(BASE_ENV)
        env.update({"HTTPS_PROXY": api.url, "HTTP_PROXY": api.url})
        env.update({k: v.replace(sc.FAKE, api.url) for k, v in scenario["env"].items()})
        env.update(web_env)
        args = [a for a in scenario["args"] if a not in ("-p", "--print")]
        cmd = [str(binary), "-p", PROMPT, "--output-format", "json", *args, *web_args, *extra]
        started = time.monotonic()
        if sc.MANAGED in files:
            with managed_policy(files[sc.MANAGED]):
                code, out, err, timed_out = _run(cmd, env, cwd, timeout)
        else:
            code, out, err, timed_out = _run(cmd, env, cwd, timeout)
        seconds = round(time.monotonic() - started, 2)
        log = api.requests()
    return {
        "name": scenario["name"],
        "release": release,
        "scenario": scenario,
        "observation": _observation(
            log,
            result=_result_json(out),
            code=code,
            stderr=err,
            timed_out=timed_out,
            scenario=scenario,
        ),
        "timing": {"seconds": seconds},
    }


def _observation(
    log: list[dict[str, Any]],
    *,
    result: dict[str, Any] | None,
    code: int | None,
    stderr: str,
    timed_out: bool,
    scenario: sc.Scenario,
) -> dict[str, Any]:
    by_role: dict[str, list[dict[str, Any]]] = {}
    for rec in log:
        by_role.setdefault(role_of(rec), []).append(rec)
    keep = user_betas(scenario)
    main = [summarize(r, keep) for r in by_role.get("main", [])]
    usage = (result or {}).get("modelUsage") or {}
    is_error = bool((result or {}).get("is_error"))
    tags = sorted({w for w in stderr.split() if w.startswith("[claude-code:")})
    return {
        "exit_code": code,
        "timed_out": timed_out,
        "is_error": is_error,
        "error": _unport((result or {}).get("result")) if is_error else None,
        "api_error_status": (result or {}).get("api_error_status"),
        "no_json_output": result is None,
        "stderr_tail": None if result is not None else _unport(stderr.strip()[-300:]),
        "stderr_tags": tags,
        "fast_mode": {
            "state": (result or {}).get("fast_mode_state"),
            "reason": (result or {}).get("fast_mode_disabled_reason"),
        },
        "model_usage": {
            k: {
                "contextWindow": v.get("contextWindow"),
                "maxOutputTokens": v.get("maxOutputTokens"),
            }
            for k, v in sorted(usage.items())
            if isinstance(v, dict)
        },
        "main": main,
        "main_models_tried": collapse([m["model"] for m in main]),
        "main_all_betas": (by_role.get("main") or [{}])[0].get("betas") or [],
        "side": {
            kind.split(":", 1)[1]: [summarize(r, keep) for r in recs]
            for kind, recs in sorted(by_role.items())
            if kind.startswith("side:")
        },
        "subagent": [summarize(r, keep) for r in by_role.get("subagent", [])],
        "agent_called": scenario.get("agent") is not None
        and any(r["reply"].get("tool") == "Agent" for r in log),
        # max_tokens=1 validation probes: not in every run (CHANGES.md 2.1.332), so only counted
        "probe_models": sorted({str(r.get("model")) for r in by_role.get("probe", [])}),
        "profiles_listed": len(by_role.get("profiles", [])) > 0,
        "other_requests": sorted({f"{r['method']} {r['path']}" for r in by_role.get("other", [])}),
    }


_LOOPBACK_PORT = re.compile(r"(127\.0\.0\.1|localhost|\[::1\]):\d+")


def _unport(text: Any) -> Any:
    """Messages name the fake API's address, whose port changes every run."""
    return _LOOPBACK_PORT.sub(r"\1:PORT", text) if isinstance(text, str) else text


def stable(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record without what changes between two runs of the same scenario."""
    out = {k: v for k, v in record.items() if k not in VOLATILE}
    obs = dict(out.get("observation") or {})
    obs.pop("probe_models", None)
    out["observation"] = obs
    return out


def write_record(out_dir: Path, record: Mapping[str, Any]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{record['name']}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def observe_all(
    binary: Path,
    out_dir: Path,
    *,
    only: list[str] | None = None,
    allow_managed: bool = False,
    jobs: int = 2,
    timeout: float = TIMEOUT,
    report: Callable[[str], None] = print,
) -> tuple[int, int]:
    """Observe the corpus (or ``only`` those names). Returns (written, skipped)."""
    corpus = sc.corpus()
    if only:
        known = {s["name"] for s in corpus}
        unknown = [n for n in only if n not in known]
        if unknown:
            raise HarnessError(f"--only: no scenario named {', '.join(unknown)}")
        corpus = [s for s in corpus if s["name"] in set(only)]
    release = release_of(binary)
    plain = [s for s in corpus if not sc.is_managed(s)]
    managed = [s for s in corpus if sc.is_managed(s)]
    skipped = 0
    if managed and not allow_managed:
        report(
            f"skipping {len(managed)} managed-policy scenarios (give --allow-managed to run them)"
        )
        skipped, managed = len(managed), []
    if managed and (MANAGED_PATH.exists() or MANAGED_PATH.is_symlink()):
        raise HarnessError(f"{MANAGED_PATH} exists: refusing to run managed-policy scenarios")
    written = 0

    def one(s: sc.Scenario) -> None:
        nonlocal written
        rec = observe_one(s, binary, release, timeout=timeout)
        write_record(out_dir, rec)
        written += 1
        o = rec["observation"]
        report(
            f"{s['name']}: exit {o['exit_code']}, main {o['main_models_tried']}, "
            f"{rec['timing']['seconds']}s"
        )

    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        for fut in [pool.submit(one, s) for s in plain]:
            fut.result()
    except BaseException:  # Ctrl-C or a failed run: start nothing more, let running ones end
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    for s in managed:  # alone: the policy file is machine-wide
        one(s)
    if MANAGED_PATH.exists():
        raise HarnessError(f"{MANAGED_PATH} still exists after the run: remove it")
    return written, skipped


def binary_path(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_file() or not os.access(path, os.X_OK):
        raise HarnessError(f"--claude {value}: not an executable file")
    if path.stat().st_size < 1_000_000:
        raise HarnessError(
            f"--claude {value}: {path.stat().st_size} bytes is the npm placeholder; use the "
            "platform package's binary (`python -m tools.follow fetch VERSION` prints it)"
        )
    return path
