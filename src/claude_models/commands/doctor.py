"""``claude-models doctor [--live] [--json]``: what in this configuration will hurt, and with
``--live``, which of its models this account can actually call.

Without ``--live``: the warnings of the resolution (as ``explain`` shows them). With it: one
probe (``max_tokens: 1``, no retries, a timeout) per distinct model the configuration uses: the
main loop, each fallback model, the side-query model and the model of each ``Agent`` alias
(``sonnet``, ``opus``, ``haiku``, ``fable``), each with a verdict and, for a refusal, the fix.
Exit status: 1 when a warning has severity ``error`` (requests will fail, or policy is not
what the admin wrote) or a probe was not answered; with ``--strict`` also on ``warning``;
else 0. ``info`` never fails a run.
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass, field

from claude_models import env as E
from claude_models._record import replace
from claude_models.checks import ERROR, LEVELS, WARNING
from claude_models.commands._common import print_json, say, snapshot_of
from claude_models.result import Resolution
from claude_models.snapshot import Snapshot
from claude_models.terminal import join_lines

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ORDER = 50
AGENT_ALIASES = ("sonnet", "opus", "haiku", "fable")


@dataclass
class Use:
    """One distinct model (and region) and the roles that use it."""

    model: str
    region: str | None
    roles: list[str] = field(default_factory=list)
    verdict: str | None = None
    status: int | None = None
    message: str | None = None
    suggestion: str | None = None
    fixes: list[str] = field(default_factory=list)
    # what the modelled Claude Code release sends next by itself, and whether that answered
    fallback: str | None = None

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "doctor",
        parents=[common],
        help="warnings, and with --live which configured models this account can call",
        description=(
            "Show what in this configuration is likely to surprise or cost its owner; with "
            "--live, probe every model it uses and say how to fix each refusal."
        ),
    )
    p.add_argument("--live", action="store_true", help="probe each model the configuration uses")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 on warnings too, not only on errors (for CI and login scripts)",
    )
    p.epilog = (
        "exit status: 0 nothing to fix; 1 an error (requests will fail, or policy is not what "
        "the admin wrote), a warning with --strict, or a --live probe that was refused; "
        "2 bad usage"
    )
    p.set_defaults(run=run)


def uses_of(snap: Snapshot, res: Resolution) -> list[Use]:
    """Every distinct (model, region) the configuration sends to, with its roles, in order."""
    from claude_models.resolver import resolve

    found: dict[tuple[str, str | None], Use] = {}

    def add(role: str, model: str, region: str | None) -> None:
        use = found.setdefault((model, region), Use(model, region))
        if role not in use.roles:
            use.roles.append(role)

    add("main", res.main.model, res.main.region)
    for i, wire in enumerate(res.fallback_models, 1):
        add(f"fallback {i}", wire, res.main.region)
    if res.side is not None:
        add("side queries", res.side.model, res.side.region)
    for alias in AGENT_ALIASES:
        probe = replace(snap, agent={"subagent_type": "general-purpose", "model": alias})
        sub = resolve(probe).subagent
        if sub is not None and sub.request is not None:
            add(f"Agent(model={alias})", sub.request.model, sub.request.region)
    return list(found.values())


def fixes_for(
    use: Use, res: Resolution, available: list[str], *, retries_on_main: bool = False
) -> list[str]:
    """What to do so that each role of a refused model gets a model the account can call.
    Side queries and subagents are pointed at a model that answered its probe, when one did."""
    provider = res.provider
    out: list[str] = []
    if provider == "bedrock":
        out.append(
            f"enable {use.model} for this account in {use.region} in the Amazon Bedrock console"
        )
    elif provider == "vertex":
        out.append(
            f"enable {use.model} in Vertex AI Model Garden for your project in {use.region} "
            f"(or move it with {E.CLOUD_ML_REGION} / VERTEX_REGION_CLAUDE_*)"
        )
    elif provider == "foundry":
        out.append(f"deploy {use.model} in your Foundry resource")
    main_eg = f" (e.g. {use.suggestion})" if use.suggestion else ""
    answered = [m for m in available if "haiku" in m] or available
    side_eg = f" (e.g. {answered[0]}, which answered)" if answered else main_eg
    for role in use.roles:
        if role == "main":
            out.append(
                f"main loop: set --model or {E.MODEL} (or `model` in settings) to a model "
                f"this account can call{main_eg}, or add --fallback-model"
            )
        elif role.startswith("fallback"):
            src = res.fallback_source or "--fallback-model"
            out.append(f"{role}: remove {use.model} from the fallback models ({src})")
        elif role == "side queries":
            step = res.decisions.side.step if res.decisions else None
            var = E.SMALL_FAST_MODEL if step == "small_fast_env" else E.DEFAULT_HAIKU_MODEL
            if retries_on_main:
                why = (
                    "Claude Code retries each refused side query on the main-loop model, one "
                    "wasted request per query (claude-models' own client remembers the refusal, "
                    f"with {E.SIDE_QUERY_FALLBACK}=main-model)"
                )
            else:
                why = (
                    "Claude Code never retries a refused side query on another model "
                    f"(claude-models' own client can, with {E.SIDE_QUERY_FALLBACK}=main-model)"
                )
            out.append(f"side queries: set {var} to a model this account can call{side_eg}; {why}")
        elif role.startswith("Agent(model="):
            alias = role[len("Agent(model=") : -1]
            var = E.FAMILY_OVERRIDE[alias]
            out.append(f"{role}: set {var} to a model this account can call{main_eg}")
    return out


def probe_all(snap: Snapshot, res: Resolution, uses: list[Use]) -> None:
    from claude_models.errors import LiveError, ModelURLError
    from claude_models.live.clients import Call, send
    from claude_models.live.probe import PROBE_TIMEOUT_VAR, probe_timeout, result_of
    from claude_models.masking import mask

    for use in uses:
        try:
            reply = send(
                res.provider,
                snap.env,
                Call(use.model, 1, region=use.region),
                "Hi",
                timeout=probe_timeout(snap),
                timeout_var=PROBE_TIMEOUT_VAR,
            )
        except (LiveError, ModelURLError) as exc:
            use.verdict, use.message = "other", mask(str(exc), snap.env)
            continue
        result = result_of(res.provider, use.model, reply, snap)
        use.verdict, use.status = result.verdict, result.status
        use.message, use.suggestion = result.message, result.suggestion

    from claude_models.releases import rules_for

    side_retry = rules_for(snap.claude_version).hook_side_query_retry_on_main
    available = [u.model for u in uses if u.verdict == "available"]
    for use in uses:
        if use.verdict in ("not_found", "access_denied"):
            use.fixes = fixes_for(use, res, available, retries_on_main=side_retry)
            use.fallback = release_note(snap, res, use, uses)


def release_note(snap: Snapshot, res: Resolution, use: Use, uses: list[Use]) -> str | None:
    """The modelled release's own next request after this refusal (2.1.330's side-query retry
    on the main-loop model, 2.1.332's 3P step-down), probed: it may keep the session going."""
    from claude_models.live.probe import release_fallback

    role = "main" if "main" in use.roles else "side" if "side queries" in use.roles else None
    if role is None:
        return None
    nxt = release_fallback(snap, res, role, use.status or 403)
    if nxt is None:
        return None
    known = {(u.model, u.region): u.verdict for u in uses if u.verdict is not None}
    verdict = known.get((nxt.call.model, nxt.call.region))  # probed already as another role
    if verdict is None:
        verdict = _probe_verdict(snap, res, nxt.call.model, nxt.call.region)
    said = "it answered" if verdict == "available" else f"it did not answer either ({verdict})"
    return f"{nxt.describe()}: {said}"


def _probe_verdict(snap: Snapshot, res: Resolution, model: str, region: str | None) -> str:
    from claude_models.errors import LiveError, ModelURLError
    from claude_models.live.clients import Call, send
    from claude_models.live.probe import probe_timeout, result_of

    try:
        reply = send(
            res.provider, snap.env, Call(model, 1, region=region), "Hi", timeout=probe_timeout(snap)
        )
    except (LiveError, ModelURLError):
        return "other"
    return result_of(res.provider, model, reply, snap).verdict


def run(args: argparse.Namespace) -> int:
    from claude_models.resolver import resolve

    snap = snapshot_of(args)
    uses: list[Use] = []
    notes: list[str] = []
    if args.live:
        from claude_models.live import profiles

        snap = profiles.with_profiles(snap, profiles.wait(snap.env, 5.0))
        from claude_models.masking import mask

        failed = profiles.error(snap.env)
        if failed:
            note = f"Bedrock inference profiles could not be listed ({failed}); built-in ids used"
            notes.append(mask(note, snap.env))
    res = resolve(snap)
    if args.live:
        uses = uses_of(snap, res)
        probe_all(snap, res, uses)
    bad = [u for u in uses if u.verdict != "available"]
    counts = {level: sum(1 for w in res.warnings if w.severity == level) for level in LEVELS}
    failing = counts[ERROR] > 0 or (args.strict and counts[WARNING] > 0)
    if args.json:
        print_json(
            {
                "provider": res.provider,
                "warnings": [w.to_json() for w in res.warnings],
                "live": args.live,
                "models": [u.to_json() for u in uses],
                "notes": notes,
                "ok": not bad,
                "claude_code": res.claude_code.to_json() if res.claude_code else None,
                "severities": counts,
                "strict": args.strict,
            }
        )
    else:
        say(format_report(res, uses, notes, live=args.live))
    return 1 if bad or failing else 0


def format_report(res: Resolution, uses: list[Use], notes: list[str], *, live: bool) -> str:
    lines = [f"provider: {res.provider}"]
    if res.warnings:
        lines.append("warnings:")
        order = {level: i for i, level in enumerate(LEVELS)}
        ranked = sorted(res.warnings, key=lambda w: order.get(w.severity, 1))
        lines += [f"  {w.severity} [{w.code}] {w.message}" for w in ranked]
    else:
        lines.append("warnings: none")
    if live:
        lines.append("models:")
        for u in uses:
            where = f" in {u.region}" if u.region else ""
            mark = "ok " if u.verdict == "available" else "!! "
            lines.append(f"  {mark}{u.model}{where} ({', '.join(u.roles)}): {u.message}")
            lines += [f"     fix: {f}" for f in u.fixes]
            if u.fallback:
                lines.append(f"     then: {u.fallback}")
        lines += [f"note: {n}" for n in notes]
    else:
        lines.append("(run with --live to probe each model this configuration uses)")
    return join_lines(lines)  # a newline in a model id or a message cannot forge a line
