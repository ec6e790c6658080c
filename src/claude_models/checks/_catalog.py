"""What the checks share: the catalog's names, "did you mean", and the model slots of a
configuration (every place a model id can be written, with where it was written)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from claude_models import env as E
from claude_models._record import record
from claude_models.registry import FAMILY_ALIASES, Registry
from claude_models.resolvers.setting import split_1m
from claude_models.settings.scopes import Scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

    from claude_models.diagnostics.collect import Parts
    from claude_models.resolvers.context import Ctx
    from claude_models.result import Warning
    from claude_models.snapshot import AgentDef, Snapshot

ALIASES: Final = frozenset({*FAMILY_ALIASES, "opusplan", "best", "default"})
# How many unknown entries of one list get a "did you mean" (difflib is ~1 ms an entry; a
# 10,000-entry allowlist must not cost seconds). The rest are counted.
SUGGEST_AT_MOST: Final = 20


@record
class Slot:
    """One place a model id is written."""

    label: str  # "ANTHROPIC_DEFAULT_HAIKU_MODEL", "settings model", "agent 'x' model", ...
    value: str
    where: str  # the file or variable it came from
    kind: str = "model"  # "model" | "agent" | "override_key" | "override_value" | "side"
    sent: bool = True  # the id goes on the wire as written (not only compared)


_NAMES: dict[int, tuple[tuple[str, ...], frozenset[str]]] = {}
_LISTS: dict[tuple[int, tuple[str, ...]], tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {}


def _names(reg: Registry) -> tuple[tuple[str, ...], frozenset[str]]:
    """Every spelling difflib may suggest, and every segment prefix of a catalog id that an
    allowlist entry may use (``opus-4``, ``claude-sonnet-4-5``). Once per registry."""
    found = _NAMES.get(id(reg))
    if found is None:
        found = _NAMES[id(reg)] = _compute_names(reg)
    return found


def _compute_names(reg: Registry) -> tuple[tuple[str, ...], frozenset[str]]:
    names: dict[str, None] = {}
    prefixes: set[str] = set()
    for m in reg.models:
        names[m.id] = None
        for pid in m.ids.values():
            if pid:
                names[pid] = None
        for full in (m.id, m.first_party_id):
            bare = full.lower().removeprefix("claude-")
            parts = bare.split("-")
            for i in range(1, len(parts) + 1):
                prefixes.add("-".join(parts[:i]))
    for a in sorted(ALIASES):
        names[a] = None
    return tuple(names), frozenset(prefixes)


def suggest(value: str, reg: Registry) -> str | None:
    """The catalog id, provider id or alias closest to ``value``, if one is close enough to be
    what was meant (difflib, case-insensitive)."""
    import difflib  # only when a value is unknown

    names, _ = _names(reg)
    low = {n.lower(): n for n in names}
    key = value.strip().lower()
    close = difflib.get_close_matches(key, list(low), n=1, cutoff=0.8)
    if not close:
        # two letters swapped in a short alias ("opsu"): too far apart for difflib's ratio
        close = [a for a in sorted(ALIASES) if len(a) >= 4 and _swapped(key, a)][:1]
    if not close and not key.startswith("claude-"):
        close = difflib.get_close_matches("claude-" + key, list(low), n=1, cutoff=0.85)
    return low[close[0]] if close and close[0] != key else None


def _swapped(typed: str, name: str) -> bool:
    """``typed`` is ``name`` with two neighbouring letters exchanged."""
    if len(typed) != len(name) or typed == name:
        return False
    diff = [i for i, (a, b) in enumerate(zip(typed, name, strict=True)) if a != b]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and (typed[diff[0]], typed[diff[1]]) == (name[diff[1]], name[diff[0]])
    )


def is_arn(value: str) -> bool:
    return value.strip().lower().startswith("arn:")


def entry_known(entry: str, reg: Registry) -> bool:
    """An availableModels / deniedModels entry that names a model: an alias, any spelling of a
    catalog model, or a version prefix of one (``opus-4-5``, ``claude-sonnet-4``)."""
    base = split_1m(entry)[0].strip().lower()
    if not base or base in ALIASES or is_arn(base):
        return True
    if reg.find(base) is not None or reg.find("claude-" + base) is not None:
        return True
    return base.removeprefix("claude-") in _names(reg)[1]


def list_findings(
    entries: tuple[str, ...], reg: Registry
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The unknown entries of a list: those with a suggestion (only the first
    :data:`SUGGEST_AT_MOST` unknown entries get one), and the rest, each in list order.
    Cached per list: a policy is checked once per process, and a 10,000-entry list costs a
    resolution what a 10-entry one does (its warnings name five of each, and count them)."""
    key = (id(reg), entries)
    found = _LISTS.get(key)
    if found is None:
        if len(_LISTS) > 64:
            _LISTS.clear()
        found = _LISTS[key] = _list_findings(entries, reg)
    return found


def _list_findings(
    entries: tuple[str, ...], reg: Registry
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    typo: list[tuple[str, str]] = []
    unknown: list[str] = []
    for e in entries:
        if entry_known(e, reg):
            continue
        seen = len(typo) + len(unknown)
        hint = suggest(split_1m(e)[0].strip(), reg) if seen < SUGGEST_AT_MOST else None
        if hint is None:
            unknown.append(e)
        else:
            typo.append((e, hint))
    return tuple(typo), tuple(unknown)


def _env_slot(ctx: Ctx, var: str, kind: str = "model") -> Slot | None:
    value = E.get(ctx.env, var)
    if not value:
        return None
    return Slot(var, value, ctx.snap.env_origins.get(var, "environment"), kind)


@record
class AgentGroup:
    """The custom agents whose frontmatter writes one model value, with each one's place in
    name order and its slot."""

    value: str
    slots: tuple[tuple[int, Slot], ...]
    agents: tuple[AgentDef, ...]  # the same agents, in the same order


@record
class Slots:
    """Every model slot of a configuration, in order: ``head``, then the custom agents' slots
    (grouped by the value they write, so a check looks at each value once), then ``tail``."""

    head: tuple[Slot, ...]
    agents: tuple[AgentGroup, ...]
    tail: tuple[Slot, ...]

    def __iter__(self) -> Iterator[Slot]:
        """Every slot in order (each agent slot in name order)."""
        yield from self.head
        yield from (slot for _, slot in sorted(p for g in self.agents for p in g.slots))
        yield from self.tail

    def findings(self, finding: Callable[[Slot], list[Warning]]) -> list[Warning]:
        """``finding(slot)`` of every slot, concatenated in slot order. What a check finds
        depends on a slot's value, kind and ``sent``, never on its label or origin, which only
        name it: an agent group whose first slot has no finding has none, so 1,000 agents that
        write one model cost a check one call, and only agents with a finding cost more."""
        out = [w for slot in self.head for w in finding(slot)]
        hits: list[tuple[int, list[Warning]]] = []
        for group in self.agents:
            (first_at, first), *rest = group.slots
            found = finding(first)
            if found:
                hits.append((first_at, found))
                hits += [(at, finding(slot)) for at, slot in rest]
        for _, found in sorted(hits, key=lambda h: h[0]):
            out += found
        out += [w for slot in self.tail for w in finding(slot)]
        return out


def agent_groups(snap: Snapshot) -> tuple[AgentGroup, ...]:
    """The custom agents' model slots grouped by value: derived once per (frozen) snapshot,
    since the agents are the one part of a configuration that may run to thousands."""
    found: tuple[AgentGroup, ...] | None = snap._memo.get("agent_groups")
    if found is None:
        groups: dict[str, list[tuple[int, Slot, AgentDef]]] = {}
        for at, agent in enumerate(sorted(snap.agents.values(), key=lambda a: a.name)):
            if agent.model and agent.model.strip():
                value = agent.model.strip()
                slot = Slot(f"agent '{agent.name}' model", value, agent.path, "agent")
                groups.setdefault(value, []).append((at, slot, agent))
        found = snap._memo["agent_groups"] = tuple(
            AgentGroup(v, tuple((at, slot) for at, slot, _ in m), tuple(a for _, _, a in m))
            for v, m in groups.items()
        )
    return found


def slots(ctx: Ctx, parts: Parts) -> Slots:
    """Every model id of this configuration, except availableModels / deniedModels entries
    (see :func:`list_findings`)."""
    head = tuple(_head_slots(ctx))
    skill = ctx.snap.flags.skill_model
    tail = (
        (Slot("--skill-model", skill.strip(), "SKILL.md model"),) if skill and skill.strip() else ()
    )
    _ = parts
    return Slots(head, agent_groups(ctx.snap), tail)


def _head_slots(ctx: Ctx) -> Iterator[Slot]:
    snap = ctx.snap
    if snap.flags.model and snap.flags.model.strip():
        yield Slot("--model", snap.flags.model.strip(), "command line")
    for var in (E.MODEL, E.DEFAULT_MODEL, *E.FAMILY_OVERRIDE.values()):
        s = _env_slot(ctx, var)
        if s is not None:
            yield s
    for var in (E.SMALL_FAST_MODEL,):
        s = _env_slot(ctx, var, "side")
        if s is not None:
            yield s
    s = _env_slot(ctx, E.SUBAGENT_MODEL, "agent")
    if s is not None:
        yield s
    for setting in snap.settings.everywhere("model"):
        if setting.value.strip():
            yield Slot("settings model", setting.value.strip(), setting.origin)
    flag = snap.flags.fallback_model
    if flag and flag.strip():
        for name in (p.strip() for p in flag.split(",")):
            if name:
                yield Slot("--fallback-model", name, "command line")
    for setting in snap.settings.everywhere("fallbackModel"):
        for name in setting.value:
            if isinstance(name, str) and name.strip():
                yield Slot("fallbackModel", name.strip(), setting.origin)
    for sub, setting in ctx.snap.settings.merged("modelOverrides").items():
        yield Slot("modelOverrides key", sub, setting.origin, "override_key", sent=False)
        if isinstance(setting.value, str) and setting.value.strip():
            yield Slot(
                f"modelOverrides['{sub}']", setting.value.strip(), setting.origin, "override_value"
            )


def list_layers(ctx: Ctx) -> Iterator[tuple[str, str, Scope, tuple[str, ...]]]:
    """(key, origin, scope, entries) of every availableModels and deniedModels value."""
    for key in ("availableModels", "deniedModels"):
        for setting in ctx.snap.settings.everywhere(key):
            yield key, setting.origin, setting.scope, tuple(setting.value)


def money(x: float) -> str:
    """``$4``, ``$0.10``: as ``models`` prints prices (``actions/picker.py: money``), to the
    cent (a difference of two prices is a float: ``4 - 0.1``)."""
    x = round(x, 2)
    return f"${x:.0f}" if float(x).is_integer() else f"${x:.2f}"


def price_line(per_m_in: float, per_m_out: float) -> str:
    return f"{money(per_m_in)}/{money(per_m_out)} per Mtok"
