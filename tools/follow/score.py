"""``python -m tools.follow score --observed DIR``: the project against stored observations.

For each ``DIR/<name>.json``: the scenario through ``claude-models resolve --json`` (the static
fields of ``compare.FIELDS``, with ``--claude-version`` = the observed release when the flag
exists and ``CLAUDE_MODELS_CLAUDE_VERSION`` always), and through ``claude-models ask`` against a
``FakeAPI`` scripted as the observation's was (the models the main loop tried, the exit status,
and the first request's fields; ``ask --side`` too when the observed hook side query was
refused). Prints one line per scenario with the fields that differ, a per-field score, and last
``N/M scenarios match``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.follow import compare
from tools.follow import scenarios as sc
from tools.follow.fakeapi import FakeAPI
from tools.follow.observe import HarnessError, collapse


@dataclass
class Score:
    name: str
    fields: dict[str, bool] = field(default_factory=dict)  # field -> matched
    diffs: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and not self.diffs


def load_dir(path: Path) -> list[dict[str, Any]]:
    if not path.is_dir():
        raise HarnessError(f"{path}: not a folder of observations")
    records = []
    for f in sorted(path.glob("*.json")):
        try:
            rec = json.loads(f.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise HarnessError(f"{f}: not JSON ({exc})") from None
        if not isinstance(rec, dict) or not {"scenario", "observation", "release"} <= rec.keys():
            continue  # e.g. KNOWN_DIFFS.json
        records.append(rec)
    if not records:
        raise HarnessError(f"{path}: no observation files (*.json with scenario/observation)")
    return records


def _ask(
    record: Mapping[str, Any], side: bool
) -> tuple[dict[str, Any] | None, list[dict[str, Any]], str]:
    scenario = record["scenario"]
    server = scenario.get("server") or {}
    with (
        tempfile.TemporaryDirectory(prefix="follow-ask-") as root,
        FakeAPI(profiles=server.get("profiles")) as api,
    ):
        home, cwd, tmp = Path(root, "home"), Path(root, "work"), Path(root, "tmp")
        for p in (home, cwd, tmp):
            p.mkdir()
        for rule in server.get("refuse") or []:
            api.refuse(rule["model_contains"], rule["status"], times=rule.get("times"))
        for rule in server.get("refusal") or []:
            api.reply_refusal(rule["model_contains"], times=rule.get("times"))
        extra = compare.write_inputs(scenario, home, cwd, tmp)
        env = {k: v.replace(sc.FAKE, api.url) for k, v in scenario["env"].items()}
        env["AWS_EC2_METADATA_DISABLED"] = "true"
        args = ["ask", "hi", "--json", "-p", *[a for a in scenario["args"] if a != "-p"], *extra]
        if side:
            args.append("--side")
        proc = subprocess.run(
            [sys.executable, "-m", "claude_models", *args],
            env=compare.project_env(home, env, record["release"]),
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            timeout=180,
        )
        log = api.requests()
    try:
        return json.loads(proc.stdout), log, ""
    except ValueError:
        lines = proc.stderr.strip().splitlines()
        return None, log, f"ask exit {proc.returncode}: {lines[-1] if lines else 'no output'}"


def _request_fields(req: Mapping[str, Any]) -> dict[str, Any]:
    thinking = req.get("thinking")
    return {
        "model": req.get("model"),
        "max_tokens": req.get("max_tokens"),
        "effort": req.get("effort"),
        "thinking.type": thinking.get("type") if isinstance(thinking, dict) else None,
        "context_1m_beta": any(b.startswith("context-1m-") for b in req.get("betas") or []),
        "speed": req.get("speed"),
    }


def score_one(record: Mapping[str, Any], *, ask: bool) -> Score:
    s = Score(record["name"])
    observed = compare.observed_static(record)
    resolved, error = compare.resolve_scenario(record["scenario"], record["release"])
    if resolved is None:
        s.error = error
        return s
    for f, value in observed.items():
        got = compare.lookup(resolved, f)
        s.fields[f] = got == value
        if got != value:
            s.diffs[f] = (value, got)
    if not ask:
        return s
    obs = record["observation"]
    out, log, error = _ask(record, side=False)
    if out is None:
        s.error = error
        return s
    wanted: dict[str, Any] = {
        "ask.models_tried": obs["main_models_tried"],
        "ask.ok": obs["exit_code"] == 0,
    }
    got_ask: dict[str, Any] = {"ask.models_tried": out.get("models_tried"), "ask.ok": out.get("ok")}
    mains = [
        r
        for r in log
        if r["kind"] in ("messages", "bedrock", "bedrock-stream", "vertex", "vertex-stream")
    ]
    if obs["main"] and mains:
        want_req = _request_fields({**obs["main"][0], "betas": obs["main"][0]["betas"]})
        got_req = _request_fields(mains[0])
        for k in want_req:
            wanted[f"ask.request.{k}"] = want_req[k]
            got_ask[f"ask.request.{k}"] = got_req[k]
    hook = obs["side"].get("hook") or []
    if any(h["status"] != 200 for h in hook):
        side_out, _, error = _ask(record, side=True)
        wanted["ask.side.models_tried"] = collapse([h["model"] for h in hook])
        got_ask["ask.side.models_tried"] = (
            None if side_out is None else side_out.get("models_tried")
        )
    for k, value in wanted.items():
        s.fields[k] = got_ask.get(k) == value
        if got_ask.get(k) != value:
            s.diffs[k] = (value, got_ask.get(k))
    return s


def main(observed: Path, *, only: list[str] | None = None, ask: bool = True, jobs: int = 2) -> int:
    records = load_dir(observed)
    if only:
        missing = sorted(set(only) - {r["name"] for r in records})
        if missing:
            raise HarnessError(f"--only: no observation named {', '.join(missing)} in {observed}")
        records = [r for r in records if r["name"] in set(only)]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        scores = list(pool.map(lambda r: score_one(r, ask=ask), records))
    per_field: dict[str, Counter[bool]] = {}
    for s in scores:
        for f, ok in s.fields.items():
            per_field.setdefault(f, Counter())[ok] += 1
        if s.error:
            print(f"{s.name}: ERROR {s.error}")
        elif s.diffs:
            shown = "; ".join(
                f"{f}: observed {json.dumps(a)}, project {json.dumps(b)}"
                for f, (a, b) in s.diffs.items()
            )
            print(f"{s.name}: {sum(s.fields.values())}/{len(s.fields)} fields; {shown}")
        else:
            print(f"{s.name}: {len(s.fields)}/{len(s.fields)} fields")
    print("per field (matching/observed):")
    for f in sorted(per_field, key=lambda f: (f.startswith("ask"), f)):
        c = per_field[f]
        print(f"  {f:34} {c[True]}/{c[True] + c[False]}")
    releases = sorted({r["release"] for r in records})
    print(f"release(s): {', '.join(releases)}")
    print(f"{sum(s.ok for s in scores)}/{len(scores)} scenarios match")
    return 0


def known(observed: Path, file: Path, *, write: bool, jobs: int = 2) -> int:
    """Print (or ``--write``) the known-diffs list for today's project: every scenario whose
    static fields differ, with those fields; reasons already in ``file`` are kept, new entries
    say ``unexplained`` until a maintainer writes why."""
    records = load_dir(observed)
    try:
        existing = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
    except ValueError as exc:
        raise HarnessError(f"{file}: not JSON ({exc}); fix or remove it") from None
    if not isinstance(existing, dict):
        raise HarnessError(f"{file}: expected an object of scenario name -> entry")
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        scores = list(pool.map(lambda r: score_one(r, ask=False), records))
    out: dict[str, Any] = {}
    for s in scores:
        if s.error:
            raise HarnessError(f"{s.name}: {s.error}")
        if not s.diffs:
            continue
        old = existing.get(s.name) or {}
        out[s.name] = {
            "fields": sorted(s.diffs),
            "reason": old.get("reason")
            or "unexplained: "
            + "; ".join(
                f"{f} observed {json.dumps(a)}, project {json.dumps(b)}"
                for f, (a, b) in s.diffs.items()
            ),
        }
    gone = sorted(set(existing) - set(out))
    text = json.dumps(out, indent=1, sort_keys=True) + "\n"
    if write:
        tmp = file.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(file)
        removed = ", ".join(gone) or "-"
        print(f"wrote {file}: {len(out)} known differences ({len(gone)} removed: {removed})")
    else:
        sys.stdout.write(text)
    return 0
