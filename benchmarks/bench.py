"""How fast and how small claude-models is, as ratios measured in one run on this machine.

    python benchmarks/bench.py                 # a human-readable report
    python benchmarks/bench.py --json          # the same figures as one JSON object
    python benchmarks/bench.py --peers-python /tmp/peers-venv/bin/python   # litellm etc.
    python benchmarks/bench.py --quick         # cold and warm only (a minute, not ten)

Every figure is a median over repeated runs. Absolute times depend on the machine, so each
cold figure is printed next to a baseline measured in the same run (``python -c pass`` in the
same environment), and each scale curve as a ratio to its smallest input. Goals (issues 5, 7):

- cold ``claude-models resolve --json -p`` at most 4x ``python -c pass``;
- warm in-process ``resolve()`` on a prepared snapshot at most 10 us per call;
- ``resolve(Snapshot.of(...))`` on a fresh snapshot at most 50 us (issue 11); printed next to it,
  the same with a snapshot different on every call (no memo can answer), and the same plus
  reading every field (``warnings`` are computed on first read);
- peak RSS of a ``resolve`` process under 25 MiB;
- resolution cost flat-ish as allowlists, custom agents and settings files grow.

Peers (``import anthropic``; ``import litellm`` and ``litellm.get_model_info`` for the same
models) are measured when importable by this interpreter or by ``--peers-python``, and skipped
with a note otherwise. litellm runs with ``LITELLM_LOCAL_MODEL_COST_MAP=True`` so that its
import reads its bundled price map instead of fetching one over the network.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
if (SRC / "claude_models").is_dir():  # a checkout measures its own code, installed or not
    sys.path.insert(0, str(SRC))

from claude_models import AgentDef, Flags, Resolution, Snapshot, resolve  # noqa: E402
from claude_models.registry import registry  # noqa: E402
from claude_models.resolver import compute  # noqa: E402

GOAL_COLD_RATIO = 4.0
GOAL_WARM_US = 10.0
GOAL_FRESH_US = 50  # resolve(Snapshot.of(...)) on a fresh snapshot each call (issue 11)
GOAL_RSS_MIB = 25.0
# "Flat-ish": cost grows at most like size**0.25 from the smallest input to the largest
# (x1,000 the entries -> at most ~x5.6 the time). Linear growth is exponent 1.
FLAT_EXPONENT = 0.25

ALLOWLIST_SIZES = (10, 100, 1_000, 10_000)
AGENT_COUNTS = (1, 10, 100, 1_000)
SETTINGS_BYTES = (1_000, 100_000, 1_000_000, 8_000_000)


# ---------------------------------------------------------------- measuring


@dataclass
class Sandbox:
    """A fresh HOME and project directory; children get a minimal, fixed environment."""

    root: Path
    home: Path
    cwd: Path
    env: dict[str, str]

    @classmethod
    def make(cls, root: Path) -> Sandbox:
        home, cwd = root / "home", root / "work"
        home.mkdir(parents=True, exist_ok=True)
        cwd.mkdir(parents=True, exist_ok=True)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}
        if (SRC / "claude_models").is_dir():
            env["PYTHONPATH"] = str(SRC)
        return cls(root, home, cwd, env)


def cli_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m``."""
    script = Path(sys.executable).parent / "claude-models"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "claude_models"]


def run_once(cmd: Sequence[str], *, env: dict[str, str], cwd: Path) -> float:
    """Wall seconds of one run."""
    t0 = time.perf_counter()
    code = subprocess.call(
        list(cmd), env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    elapsed = time.perf_counter() - t0
    if code != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} exited {code}")
    return elapsed


# Linux carries a process's pre-exec peak RSS across exec, so a child spawned straight from
# this (large) benchmark process would report at least our size. A small launcher forks the
# command and reports the grandchild's own peak instead; its floor is the launcher's size.
RSS_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def peak_rss_kib(cmd: Sequence[str], *, env: dict[str, str], cwd: Path) -> int | None:
    """The command's own peak RSS in KiB, ``None`` where fork/wait4 do not exist."""
    if not hasattr(os, "wait4") or not hasattr(os, "fork"):  # pragma: no cover - Windows
        return None
    exe = shutil.which(cmd[0], path=env.get("PATH")) if os.sep not in cmd[0] else cmd[0]
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", RSS_LAUNCHER, exe or cmd[0], *cmd[1:]],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    rss, code = proc.stdout.split()
    if int(code) != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} exited {code}")
    return int(rss)


def check_output(cmd: Sequence[str], *, env: dict[str, str], cwd: Path) -> dict[str, Any]:
    """Run once for real and check it printed a resolution (a benchmark of an error is void)."""
    proc = subprocess.run(
        list(cmd), env=env, cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed: {proc.stderr.strip()}")
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


def interleaved(
    cmds: dict[str, list[str]], *, runs: int, env: dict[str, str], cwd: Path
) -> dict[str, list[float]]:
    """Each command ``runs`` times, round-robin, so drift in machine load hits all alike."""
    out: dict[str, list[float]] = {k: [] for k in cmds}
    for cmd in cmds.values():  # warm the page cache and the bytecode caches
        run_once(cmd, env=env, cwd=cwd)
    for _ in range(runs):
        for name, cmd in cmds.items():
            out[name].append(run_once(cmd, env=env, cwd=cwd))
    return out


def per_call_us(fn: Callable[[], object], *, target_s: float = 0.2, repeat: int = 7) -> float:
    """Median over ``repeat`` batches of the time per call, in microseconds."""
    fn()
    timer = timeit.Timer(fn)
    number, elapsed = 1, 0.0
    while elapsed < target_s / repeat and number < 10_000_000:
        number *= 2
        elapsed = timer.timeit(number)
    return statistics.median(timer.repeat(repeat=repeat, number=number)) / number * 1e6


def median_ms(xs: Sequence[float]) -> float:
    return statistics.median(xs) * 1e3


def child_json(
    python: str, code: str, *, env: dict[str, str], cwd: Path, timeout: float = 300
) -> Any:
    proc = subprocess.run(
        [python, "-c", code],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- inputs


def typical_snapshot() -> Snapshot:
    """A configuration an agent would resolve on every request: Bedrock, user and managed
    settings, an allowlist, an effort level and an Agent tool call."""
    return Snapshot.of(
        env={"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1"},
        user={"model": "sonnet", "effortLevel": "high", "alwaysThinkingEnabled": True},
        project={"fallbackModel": ["haiku"]},
        managed={"availableModels": ["sonnet", "haiku", "opus-4-6"], "deniedModels": ["fable"]},
        flags=Flags(print_mode=True),
        agent={"subagent_type": "general-purpose", "model": "haiku"},
    )


# The "distinct" fresh figure: every call's snapshot differs from the one before in the user's
# effortLevel, the Agent call's model and the AWS region (periods 4, 3, 5: the three change
# together on every call), and from every earlier one in a variable no resolver reads, so no
# memo keyed by a snapshot (or by its value) could ever answer. What still answers are the
# bounded caches of pure functions of small values (a model's names, a parsed list).
DISTINCT_EFFORTS = ("low", "medium", "high", "xhigh")
DISTINCT_AGENT_MODELS = ("haiku", "sonnet", "opus")
DISTINCT_REGIONS = ("eu-west-1", "us-east-1", "ap-northeast-1", "eu-central-1", "us-west-2")
_distinct_calls = itertools.count()


def distinct_snapshot() -> Snapshot:
    """:func:`typical_snapshot`, different on every call (see ``DISTINCT_*``)."""
    i = next(_distinct_calls)
    return Snapshot.of(
        env={
            "CLAUDE_CODE_USE_BEDROCK": "1",
            "AWS_REGION": DISTINCT_REGIONS[i % len(DISTINCT_REGIONS)],
            "BENCH_CALL": str(i),
        },
        user={
            "model": "sonnet",
            "effortLevel": DISTINCT_EFFORTS[i % len(DISTINCT_EFFORTS)],
            "alwaysThinkingEnabled": True,
        },
        project={"fallbackModel": ["haiku"]},
        managed={"availableModels": ["sonnet", "haiku", "opus-4-6"], "deniedModels": ["fable"]},
        flags=Flags(print_mode=True),
        agent={
            "subagent_type": "general-purpose",
            "model": DISTINCT_AGENT_MODELS[i % len(DISTINCT_AGENT_MODELS)],
        },
    )


def allowlist(n: int) -> list[str]:
    """``n`` entries of every kind (exact ids, version prefixes, families, ARNs); the chosen
    model's family comes last, so every entry is looked at."""
    kinds = (
        "claude-custom-model-{i}",
        "opus-4-{i}",
        "haiku",
        "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/p{i}",
    )
    out = [kinds[i % len(kinds)].format(i=i) for i in range(n - 1)]
    return [*out, "sonnet"]


def allowlist_policy(n: int) -> dict[str, Any]:
    return {
        "availableModels": allowlist(n),
        "enforceAvailableModels": True,
        "deniedModels": [f"claude-denied-{i}" for i in range(n)],
    }


def agent_md(i: int) -> str:
    return (
        f"---\nname: agent-{i}\nmodel: haiku\neffort: low\ndescription: agent {i}\n---\nDo {i}.\n"
    )


def padded_settings(size: int) -> dict[str, Any]:
    """A settings object of about ``size`` bytes: a long permissions list (the big key real
    settings files have), plus the model keys."""
    base: dict[str, Any] = {"model": "sonnet", "effortLevel": "medium", "permissions": {}}
    rule_len = len(json.dumps("Bash(npm run test:00000000)")) + 2
    base["permissions"]["allow"] = [
        f"Bash(npm run test:{i:08d})" for i in range(max(1, size // rule_len))
    ]
    return base


def scale_row(sizes: Sequence[int], values: Sequence[float]) -> list[dict[str, float]]:
    return [
        {"size": s, "value": v, "ratio": v / values[0] if values[0] else float("nan")}
        for s, v in zip(sizes, values, strict=True)
    ]


# ---------------------------------------------------------------- the benchmark


def bench_cold(sb: Sandbox, runs: int) -> dict[str, Any]:
    cmd = [*cli_command(), "resolve", "--json", "-p", "--managed-settings", str(sb.root / "none")]
    check_output(cmd, env=sb.env, cwd=sb.cwd)
    got = interleaved(
        {
            "python -c pass": [sys.executable, "-c", "pass"],
            "import claude_models": [sys.executable, "-c", "import claude_models"],
            "resolve": cmd,
        },
        runs=runs,
        env=sb.env,
        cwd=sb.cwd,
    )
    base = median_ms(got["python -c pass"])
    cold = median_ms(got["resolve"])
    rss = [peak_rss_kib(cmd, env=sb.env, cwd=sb.cwd) for _ in range(3)]
    base_rss = [peak_rss_kib([sys.executable, "-c", "pass"], env=sb.env, cwd=sb.cwd)]
    floor = peak_rss_kib([sys.executable, "-I", "-S", "-c", "pass"], env=sb.env, cwd=sb.cwd)
    return {
        "command": " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd)),
        "runs": runs,
        "baseline_ms": base,
        "import_process_ms": median_ms(got["import claude_models"]),
        "resolve_ms": cold,
        "ratio": cold / base,
        "rss_mib": max(r for r in rss if r is not None) / 1024 if rss[0] else None,
        "baseline_rss_mib": base_rss[0] / 1024 if base_rss[0] else None,
        "rss_floor_mib": floor / 1024 if floor else None,
    }


def bench_import(sb: Sandbox, runs: int) -> float:
    code = (
        "import time; t = time.perf_counter(); import claude_models; "
        "print((time.perf_counter() - t) * 1e3)"
    )
    xs = [float(child_json(sys.executable, code, env=sb.env, cwd=sb.cwd)) for _ in range(runs)]
    return statistics.median(xs)


BREAKDOWN_CODE = """
import json, sys, time
t0 = time.perf_counter()
import _datetime, enum, json as _j, pathlib, re
t1 = time.perf_counter()
import claude_models, claude_models.cli, claude_models.commands.resolve
t2 = time.perf_counter()
ours = [m for m in sys.modules if m.startswith("claude_models")]
heavy = sorted(m for m in ("dataclasses", "inspect", "anthropic", "boto3", "rich", "httpx",
                           "argparse", "typing", "datetime") if m in sys.modules)
print(json.dumps({"stdlib_ms": (t1 - t0) * 1e3, "package_ms": (t2 - t1) * 1e3,
                  "modules": len(ours), "heavy": heavy}))
"""


def bench_breakdown(sb: Sandbox, runs: int) -> dict[str, Any]:
    """Where a cold resolve's import time goes: the stdlib modules it needs and the package's
    own modules; and which heavy modules (dataclasses/inspect, the SDK, rich) it pulls in."""
    got = [child_json(sys.executable, BREAKDOWN_CODE, env=sb.env, cwd=sb.cwd) for _ in range(runs)]
    out: dict[str, Any] = {
        k: statistics.median(g[k] for g in got) for k in ("stdlib_ms", "package_ms", "modules")
    }
    out["heavy"] = got[0]["heavy"]
    return out


def read_every_field(res: Resolution) -> Resolution:
    """Read every field of a resolution, the lazy ones (``warnings``) included, and its
    ``resolve --json`` form: what a caller that uses all of it pays."""
    for name in res.__match_args__:
        getattr(res, name)
    res.to_json()
    return res


def bench_warm() -> dict[str, float]:
    snap = typical_snapshot()
    return {
        "resolve_us": per_call_us(lambda: resolve(snap)),
        "compute_us": per_call_us(lambda: compute(snap)),
        "snapshot_of_us": per_call_us(typical_snapshot),
        "fresh_resolve_us": per_call_us(lambda: resolve(typical_snapshot())),
        "fresh_distinct_us": per_call_us(lambda: resolve(distinct_snapshot())),
        "fresh_read_all_us": per_call_us(lambda: read_every_field(resolve(typical_snapshot()))),
    }


def scale_us(snap: Snapshot) -> float:
    """A growth curve's point: compute() and reading every field (the lazy warnings included:
    the checks are what walk agents and allowlists)."""
    return per_call_us(lambda: read_every_field(compute(snap)), target_s=0.1, repeat=5)


def bench_scale(sb: Sandbox, runs: int) -> dict[str, Any]:
    cli = [*cli_command(), "resolve", "--json", "-p"]
    out: dict[str, Any] = {}

    # allowlists: compute() in process, and the cold CLI reading them from managed policy
    comp, cold = [], []
    for n in ALLOWLIST_SIZES:
        policy = allowlist_policy(n)
        snap = Snapshot.of(managed=policy, flags=Flags(model="sonnet", print_mode=True))
        assert compute(snap).main.model == "claude-sonnet-5-5", "allowlist scale input broken"
        comp.append(scale_us(snap))
        path = sb.root / f"managed-{n}.json"
        path.write_text(json.dumps(policy), encoding="utf-8")
        cmd = [*cli, "--model", "sonnet", "--managed-settings", str(path)]
        check_output(cmd, env=sb.env, cwd=sb.cwd)
        cold.append(median_ms([run_once(cmd, env=sb.env, cwd=sb.cwd) for _ in range(runs)]))
    out["allowlist_compute_us"] = scale_row(ALLOWLIST_SIZES, comp)
    out["allowlist_cold_ms"] = scale_row(ALLOWLIST_SIZES, cold)

    # custom agents: compute() with n definitions, and the CLI reading n .md files
    comp, cold = [], []
    for n in AGENT_COUNTS:
        defs = [AgentDef(f"agent-{i}", "haiku", "low", f"<{i}>", "project") for i in range(n)]
        call = {"subagent_type": f"agent-{n - 1}"}
        snap = Snapshot.of(agents=defs, agent=call, flags=Flags(print_mode=True))
        sub = compute(snap).subagent
        assert sub is not None and sub.request is not None, "agent scale input broken"
        comp.append(scale_us(snap))
        project = sb.root / f"agents-{n}"
        folder = project / ".claude" / "agents"
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            (folder / f"agent-{i}.md").write_text(agent_md(i), encoding="utf-8")
        cmd = [*cli, "--agent", json.dumps(call), "--managed-settings", str(sb.root / "none")]
        check_output(cmd, env=sb.env, cwd=project)
        cold.append(median_ms([run_once(cmd, env=sb.env, cwd=project) for _ in range(runs)]))
    out["agents_compute_us"] = scale_row(AGENT_COUNTS, comp)
    out["agents_cold_ms"] = scale_row(AGENT_COUNTS, cold)

    # settings file size: the CLI reading a big project settings file, and compute()
    comp, cold, actual = [], [], []
    for size in SETTINGS_BYTES:
        data = padded_settings(size)
        text = json.dumps(data, indent=1)
        actual.append(len(text.encode()))
        snap = Snapshot.of(project=data, flags=Flags(print_mode=True))
        comp.append(scale_us(snap))
        project = sb.root / f"settings-{size}"
        (project / ".claude").mkdir(parents=True, exist_ok=True)
        (project / ".claude" / "settings.json").write_text(text, encoding="utf-8")
        cmd = [*cli, "--managed-settings", str(sb.root / "none")]
        assert check_output(cmd, env=sb.env, cwd=project)["main"]["setting"] == "sonnet"
        cold.append(median_ms([run_once(cmd, env=sb.env, cwd=project) for _ in range(runs)]))
    out["settings_bytes"] = actual
    out["settings_compute_us"] = scale_row(SETTINGS_BYTES, comp)
    out["settings_cold_ms"] = scale_row(SETTINGS_BYTES, cold)
    return out


PEER_MODELS = tuple(m.first_party_id for m in registry().models)

ANTHROPIC_CODE = """
import json, time
t = time.perf_counter()
import anthropic
print(json.dumps({"import_ms": (time.perf_counter() - t) * 1e3,
                  "version": anthropic.__version__}))
"""

LITELLM_CODE = """
import json, statistics, sys, time, timeit
models = json.loads(sys.argv[1]) if len(sys.argv) > 1 else %r
t = time.perf_counter()
import litellm
imp = (time.perf_counter() - t) * 1e3
def info(m):
    try:
        return litellm.get_model_info(m)
    except Exception:
        return None
known = [m for m in models if info(m) is not None]
def batch():
    for m in models:
        info(m)
timer = timeit.Timer(batch)
number = 20
per = statistics.median(timer.repeat(repeat=5, number=number)) / number / len(models) * 1e6
from importlib.metadata import version
print(json.dumps({"import_ms": imp, "get_model_info_us": per, "known": len(known),
                  "unknown": [m for m in models if m not in known], "version": version("litellm")}))
"""


def find_python_with(module: str, candidates: Sequence[str | None]) -> str | None:
    for py in candidates:
        if not py:
            continue
        proc = subprocess.run(
            [
                py,
                "-c",
                f"import importlib.util, sys; sys.exit(not importlib.util.find_spec({module!r}))",
            ],
            capture_output=True,
            check=False,
            timeout=60,
        )
        if proc.returncode == 0:
            return py
    return None


def bench_peers(sb: Sandbox, peers_python: str | None, runs: int) -> dict[str, Any]:
    env = {**sb.env, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    env.pop("PYTHONPATH", None)  # peers are measured as installed, not from this checkout
    candidates = [sys.executable, peers_python]
    out: dict[str, Any] = {}

    ours_lookup = per_call_us(lambda: [registry().find(m) for m in PEER_MODELS]) / len(PEER_MODELS)
    out["claude_models"] = {
        "lookup_us": ours_lookup,
        "known": sum(registry().find(m) is not None for m in PEER_MODELS),
    }

    py = find_python_with("anthropic", candidates)
    if py is None:
        out["anthropic"] = {"skipped": "anthropic is not importable (pass --peers-python)"}
    else:
        got = [child_json(py, ANTHROPIC_CODE, env=env, cwd=sb.cwd) for _ in range(runs)]
        ok = [g for g in got if "error" not in g]
        out["anthropic"] = (
            {
                "python": py,
                "version": ok[0]["version"],
                "import_ms": statistics.median(g["import_ms"] for g in ok),
            }
            if ok
            else {"skipped": got[0]["error"]}
        )

    py = find_python_with("litellm", candidates)
    if py is None:
        out["litellm"] = {"skipped": "litellm is not importable (pass --peers-python)"}
    else:
        code = LITELLM_CODE % (list(PEER_MODELS),)
        got = [child_json(py, code, env=env, cwd=sb.cwd) for _ in range(max(1, runs // 2))]
        ok = [g for g in got if "error" not in g]
        out["litellm"] = (
            {
                "python": py,
                "version": ok[0]["version"],
                "import_ms": statistics.median(g["import_ms"] for g in ok),
                "get_model_info_us": statistics.median(g["get_model_info_us"] for g in ok),
                "known": ok[0]["known"],
                "unknown": ok[0]["unknown"],
            }
            if ok
            else {"skipped": got[0]["error"]}
        )
    out["models"] = len(PEER_MODELS)
    return out


def goals(res: dict[str, Any]) -> dict[str, dict[str, Any]]:
    cold, warm = res["cold"], res["warm"]
    out = {
        "cold_ratio": {"value": cold["ratio"], "goal": f"<= {GOAL_COLD_RATIO}x"},
        "warm_resolve_us": {"value": warm["resolve_us"], "goal": f"<= {GOAL_WARM_US} us"},
        "rss_mib": {"value": cold["rss_mib"], "goal": f"< {GOAL_RSS_MIB} MiB"},
        "fresh_resolve_us": {"value": warm["fresh_resolve_us"], "goal": f"<= {GOAL_FRESH_US} us"},
    }
    out["fresh_resolve_us"]["met"] = warm["fresh_resolve_us"] <= GOAL_FRESH_US
    out["cold_ratio"]["met"] = cold["ratio"] <= GOAL_COLD_RATIO
    out["warm_resolve_us"]["met"] = warm["resolve_us"] <= GOAL_WARM_US
    out["rss_mib"]["met"] = cold["rss_mib"] is not None and cold["rss_mib"] < GOAL_RSS_MIB
    if "scale" in res:
        for name, rows in res["scale"].items():
            if name.endswith(("_us", "_ms")):
                sizes = res["scale"]["settings_bytes"] if name.startswith("settings") else None
                first, last = (
                    (sizes[0], sizes[-1]) if sizes else (rows[0]["size"], rows[-1]["size"])
                )
                k = math.log(max(rows[-1]["ratio"], 1e-9)) / math.log(last / first)
                out[f"flat_{name}"] = {
                    "value": k,
                    "goal": f"growth exponent <= {FLAT_EXPONENT} (1 = linear)",
                    "met": k <= FLAT_EXPONENT,
                }
    return out


# ---------------------------------------------------------------- report


def fmt_report(res: dict[str, Any]) -> str:
    c, w = res["cold"], res["warm"]
    lines: list[str] = []
    add = lines.append
    add(f"claude-models benchmark  ({res['date']}, Python {res['python']}, {res['machine']})")
    add("")
    add(f"cold: {c['command']}   (median of {c['runs']}, interleaved)")
    add(f"  python -c pass             {c['baseline_ms']:8.1f} ms   1.00x")
    add(
        f"  python -c 'import claude_models' {c['import_process_ms']:5.1f} ms"
        f"   {c['import_process_ms'] / c['baseline_ms']:.2f}x"
    )
    add(f"  resolve --json -p          {c['resolve_ms']:8.1f} ms   {c['ratio']:.2f}x")
    add(f"  import claude_models (in-process)  {res['import_ms']:.1f} ms")
    if c["rss_mib"] is not None:
        add(
            f"  peak RSS: resolve {c['rss_mib']:.1f} MiB  "
            f"(python -c pass {c['baseline_rss_mib']:.1f} MiB; "
            f"measurement floor {c['rss_floor_mib']:.1f} MiB)"
        )
    b = res["breakdown"]
    add(
        f"  where a cold import goes: stdlib (json, re, pathlib, enum, _datetime) "
        f"{b['stdlib_ms']:.1f} ms; claude_models' {b['modules']:.0f} modules "
        f"{b['package_ms']:.1f} ms; heavy modules pulled in: {', '.join(b['heavy']) or 'none'}"
    )
    add("")
    add("warm, in process (typical snapshot: Bedrock, 3 settings layers, allowlist, Agent call)")
    add(f"  resolve()  memoized        {w['resolve_us']:10.2f} us/call")
    add(f"  compute()  uncached        {w['compute_us']:10.2f} us/call")
    add(f"  Snapshot.of(...)           {w['snapshot_of_us']:10.2f} us/call")
    add(f"  resolve(Snapshot.of(...))  {w['fresh_resolve_us']:10.2f} us/call  (fresh snapshot)")
    add(
        f"  ... a different one each call {w['fresh_distinct_us']:7.2f} us/call  "
        "(effortLevel, Agent model, region and an unread variable change every call)"
    )
    add(
        f"  ... + reading every field  {w['fresh_read_all_us']:10.2f} us/call  "
        "(warnings are computed on first read; and to_json())"
    )
    if "peers" in res:
        p = res["peers"]
        add("")
        add(f"peers  ({p['models']} first-party ids of the catalog)")
        ours = p["claude_models"]
        add(
            f"  claude-models  import {res['import_ms']:7.1f} ms   registry().find "
            f"{ours['lookup_us']:7.2f} us/model   knows {ours['known']}/{p['models']}"
        )
        a = p["anthropic"]
        if "skipped" in a:
            add(f"  anthropic      skipped: {a['skipped']}")
        else:
            add(f"  anthropic {a['version']:<8} import {a['import_ms']:7.1f} ms")
        li = p["litellm"]
        if "skipped" in li:
            add(f"  litellm        skipped: {li['skipped']}")
        else:
            add(
                f"  litellm {li['version']:<10} import {li['import_ms']:7.1f} ms   "
                f"get_model_info {li['get_model_info_us']:7.2f} us/model   "
                f"knows {li['known']}/{p['models']}"
            )
    if "scale" in res:
        s = res["scale"]
        add("")
        add("scale (value at each size, and its ratio to the smallest)")
        for key, label, unit in (
            ("allowlist_compute_us", "allowlist entries, compute()", "us"),
            ("allowlist_cold_ms", "allowlist entries, cold CLI", "ms"),
            ("agents_compute_us", "custom agents, compute()", "us"),
            ("agents_cold_ms", "custom agent files, cold CLI --agent", "ms"),
            ("settings_compute_us", "settings bytes, compute()", "us"),
            ("settings_cold_ms", "settings file bytes, cold CLI", "ms"),
        ):
            rows = s[key]
            sizes = s["settings_bytes"] if key.startswith("settings") else None
            add(f"  {label}")
            for i, r in enumerate(rows):
                size = sizes[i] if sizes else r["size"]
                add(f"    {size:>10,}  {r['value']:10.1f} {unit}   {r['ratio']:6.2f}x")
    add("")
    add("goals")
    for name, g in res["goals"].items():
        v = g["value"]
        shown = "n/a" if v is None else f"{v:.2f}"
        add(f"  {'met   ' if g['met'] else 'MISSED'}  {name:<28} {shown:>8}   ({g['goal']})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--runs", type=int, default=21, help="cold runs per command (default 21)")
    ap.add_argument("--peers-python", metavar="PATH", help="an interpreter with litellm etc.")
    ap.add_argument("--no-scale", action="store_true", help="skip the growth curves")
    ap.add_argument("--no-peers", action="store_true", help="skip the peers")
    ap.add_argument(
        "--quick",
        action="store_true",
        help="cold (9 runs) and warm only: --runs 9 --no-scale --no-peers",
    )
    args = ap.parse_args(argv)
    if args.quick:
        args.runs, args.no_scale, args.no_peers = min(args.runs, 9), True, True

    import platform

    res: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
    }
    root = Path(tempfile.mkdtemp(prefix="claude-models-bench-"))
    try:
        sb = Sandbox.make(root)
        res["cold"] = bench_cold(sb, args.runs)
        res["import_ms"] = bench_import(sb, max(5, args.runs // 2))
        res["breakdown"] = bench_breakdown(sb, max(5, args.runs // 2))
        res["warm"] = bench_warm()
        if not args.no_peers:
            res["peers"] = bench_peers(sb, args.peers_python, max(3, args.runs // 4))
        if not args.no_scale:
            res["scale"] = bench_scale(sb, max(5, args.runs // 3))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    res["goals"] = goals(res)
    print(json.dumps(res, indent=2) if args.json else fmt_report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
