"""What changes between two Claude Code releases: in the catalog, in the rules, and for one
configuration (``claude-models releases`` and ``claude-models diff``).

Catalog changes are computed from the releases' data (alias targets per provider, retirement
dates, model facts); rule changes are the :data:`~claude_models.releases.RULES` rows. A
configuration's difference is its two resolutions compared role by role, each difference with
the release notes that explain it.
"""

from __future__ import annotations

from collections.abc import Iterable

from claude_models._record import record
from claude_models.registry import PROVIDERS, Registry, registry
from claude_models.releases import RELEASES, RULES, UNMEASURED_VARIABLES, parse_version
from claude_models.result import Request, Resolution, StepDown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from claude_models.kinds import Provider


@record
class Change:
    """One release note: what changed in ``release`` (the first release that shows it)."""

    release: str
    kind: str  # "alias" | "retirement" | "model" | "capability" | "rule"
    subject: str  # the alias, model or rule it is about
    text: str
    provider: str | None = None
    old: str | None = None  # alias changes: the old and new catalog id
    new: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "kind": self.kind,
            "subject": self.subject,
            "provider": self.provider,
            "text": self.text,
        }


def alias_target(reg: Registry, name: str, provider: Provider) -> str | None:
    """The catalog id an alias sends on a provider, as the resolver reads it: the provider's
    quirk, else its catalog column (the gateway reads first party's, BEHAVIOUR.md 8e)."""
    quirks = reg.alias_quirks.get(provider)
    quirk = quirks.get(name) if quirks is not None else None
    if quirk:
        return quirk
    alias = reg.aliases.get(name)
    if alias is None:
        return None
    return alias.target("firstParty" if provider == "gateway" else provider)


def _alias_changes(release: str, old: Registry, new: Registry) -> list[Change]:
    out = []
    for name in sorted(set(old.aliases) | set(new.aliases)):
        for p in PROVIDERS:
            a, b = alias_target(old, name, p), alias_target(new, name, p)
            if a != b:
                out.append(
                    Change(
                        release,
                        "alias",
                        name,
                        f"catalog alias '{name}' on {p}: {a} -> {b}",
                        provider=p,
                        old=a,
                        new=b,
                    )
                )
    return out


def _retirement_changes(release: str, old: Registry, new: Registry) -> list[Change]:
    out = []
    before = {d.match: d for d in old.deprecations}
    for dep in new.deprecations:
        prev = before.get(dep.match)
        moved = [
            f"{p} {when.isoformat() if when else 'none'}"
            for p, when in dep.retirement.items()
            if (prev.retirement.get(p) if prev else None) != when
        ]
        if moved:
            verb = "gains retirement dates" if prev is None else "retirement dates change"
            out.append(
                Change(release, "retirement", dep.match, f"{dep.match} {verb}: {', '.join(moved)}")
            )
    return out


_FACTS = (
    "context_window",
    "native_1m",
    "max_output_default",
    "max_output_upper",
    "default_effort",
    "thinking",
    "fallback_3p",
)


def _model_changes(release: str, old: Registry, new: Registry) -> list[Change]:
    out = []
    for m in new.models:
        prev = old.by_id.get(m.id)
        if prev is None:
            out.append(Change(release, "model", m.id, f"catalog: new model {m.id}"))
            continue
        gained = sorted(m.capabilities - prev.capabilities)
        lost = sorted(prev.capabilities - m.capabilities)
        if gained or lost:
            parts = [f"gains {', '.join(gained)}"] if gained else []
            parts += [f"loses {', '.join(lost)}"] if lost else []
            out.append(Change(release, "capability", m.id, f"{m.id} {'; '.join(parts)}"))
        facts = [
            f"{f} {getattr(prev, f)} -> {getattr(m, f)}"
            for f in _FACTS
            if getattr(prev, f) != getattr(m, f)
        ]
        facts += [
            f"{p} id {prev.ids.get(p)} -> {m.ids.get(p)}"
            for p in PROVIDERS
            if prev.ids.get(p) != m.ids.get(p)
        ]
        if facts:
            out.append(Change(release, "model", m.id, f"{m.id}: {'; '.join(facts)}"))
    out += [
        Change(release, "model", m.id, f"catalog: {m.id} removed")
        for m in old.models
        if m.id not in new.by_id
    ]
    return out


def release_changes(release: str) -> list[Change]:
    """What ``release`` changed against the modelled release before it (catalog + rules)."""
    out = [Change(release, "rule", r.name, r.summary) for r in RULES if r.since == release]
    i = RELEASES.index(release)
    if i == 0:  # nothing before it: what it already reads is no change
        return out
    out += [
        Change(
            release, "variable", var, f"new variable {var} (read by the model code; not modelled)"
        )
        for var, since in UNMEASURED_VARIABLES.items()
        if since == release
    ]
    old, new = registry(RELEASES[i - 1]), registry(release)
    return (
        _alias_changes(release, old, new)
        + _retirement_changes(release, old, new)
        + _model_changes(release, old, new)
        + out
    )


def between(start: str, end: str) -> list[Change]:
    """Every change after ``start`` up to and including ``end``, oldest first."""
    lo, hi = sorted((parse_version(start), parse_version(end)))
    return [c for r in RELEASES if lo < parse_version(r) <= hi for c in release_changes(r)]


# -- one configuration under two releases ----------------------------------------------------


@record
class Difference:
    """One role (or list) that differs between the two resolutions, and why."""

    what: str  # "main", "side", "subagent", "fallback_models", "main_stepdown", ...
    before: str
    after: str
    notes: tuple[Change, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "from": self.before,
            "to": self.after,
            "notes": [n.to_json() for n in self.notes],
        }


def _req(r: Request | None) -> str:
    if r is None:
        return "-"
    effort = r.effort or "no effort"
    window = f"{r.context_window // 1000}k" if r.context_window < 1_000_000 else "1M"
    betas = f", betas {'+'.join(r.betas)}" if r.betas else ""
    return f"{r.model} ({r.max_tokens} max_tokens, {effort}, {window} window{betas})"


def _side(res: Resolution) -> str:
    s = res.side
    if s is None:
        return "-"
    return f"{s.model} ({s.max_tokens} max_tokens, {s.effort or 'no effort'})"


def _chain(sd: StepDown | None) -> str:
    return " -> ".join(sd.models) if sd is not None and sd.models else "none"


def _model_notes(
    changes: list[Change], provider: str, ids: Iterable[str | None]
) -> tuple[Change, ...]:
    wanted = {i for i in ids if i}
    notes = [
        c
        for c in changes
        if c.kind == "alias" and c.provider == provider and (c.old in wanted or c.new in wanted)
    ]
    notes += [c for c in changes if c.kind in ("model", "capability") and c.subject in wanted]
    return tuple(notes)


def _rule_notes(changes: list[Change], rule: str | None) -> tuple[Change, ...]:
    return tuple(c for c in changes if c.kind == "rule" and c.subject == rule)


def compare(old: Resolution, new: Resolution, changes: list[Change]) -> list[Difference]:
    """The roles of ``old`` and ``new`` that differ, each with the changes that explain it."""
    out: list[Difference] = []
    p = new.provider

    def add(what: str, a: str, b: str, notes: tuple[Change, ...]) -> None:
        if a != b:
            out.append(Difference(what, a, b, notes))

    def ids(*reqs: Request | None) -> list[str | None]:
        return [r.catalog_id for r in reqs if r is not None]

    add("main", _req(old.main), _req(new.main), _model_notes(changes, p, ids(old.main, new.main)))
    add(
        "fallback_models",
        ", ".join(old.fallback_models) or "none",
        ", ".join(new.fallback_models) or "none",
        (),
    )
    rule = (new.main_stepdown or old.main_stepdown or StepDown((), (), None)).rule
    add(
        "main_stepdown",
        _chain(old.main_stepdown),
        _chain(new.main_stepdown),
        _rule_notes(changes, rule),
    )
    side_ids = [s.catalog_id for s in (old.side, new.side) if s is not None]
    add("side", _side(old), _side(new), _model_notes(changes, p, side_ids))
    o_retry = old.side.retry if old.side else None
    n_retry = new.side.retry if new.side else None
    add(
        "side_retry",
        _chain(o_retry),
        _chain(n_retry),
        _rule_notes(changes, (n_retry or o_retry or StepDown((), (), None)).rule),
    )
    o_web = old.side.webfetch if old.side else None
    n_web = new.side.webfetch if new.side else None
    add(
        "webfetch_stepdown",
        _chain(o_web),
        _chain(n_web),
        _rule_notes(changes, (n_web or o_web or StepDown((), (), None)).rule),
    )
    o_sub = old.subagent.request if old.subagent else None
    n_sub = new.subagent.request if new.subagent else None
    add("subagent", _req(o_sub), _req(n_sub), _model_notes(changes, p, ids(o_sub, n_sub)))
    fm_old = f"{old.fast_mode.state} ({old.fast_mode.reason})"
    fm_new = f"{new.fast_mode.state} ({new.fast_mode.reason})"
    add("fast_mode", fm_old, fm_new, ())
    skip = {"claude_code_release"}
    w_old = {w.code for w in old.warnings} - skip
    w_new = {w.code for w in new.warnings} - skip
    for code in sorted(w_old - w_new):
        add(f"warning {code}", "present", "gone", _warning_notes(changes, old, code))
    for code in sorted(w_new - w_old):
        add(f"warning {code}", "absent", "new", _warning_notes(changes, new, code))
    return out


def _warning_notes(changes: list[Change], res: Resolution, code: str) -> tuple[Change, ...]:
    text = " ".join(w.message for w in res.warnings if w.code == code)
    return tuple(
        c
        for c in changes
        if c.kind in ("retirement", "alias", "model", "variable") and c.subject in text
    )


__all__ = ["Change", "Difference", "between", "compare", "release_changes"]
