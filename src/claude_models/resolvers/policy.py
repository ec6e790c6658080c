"""``availableModels`` and ``deniedModels`` matching.

An entry matches a model in one of three ways (the seed lesson's three tiers):

1. **Family wildcard**: ``"opus"`` matches every Opus model, *unless* the list also holds a
   narrower entry for that family (``["opus", "opus-4-5"]`` allows only Opus 4.5).
2. **Version prefix**: ``"opus-4-5"`` or ``"claude-opus-4-5"`` matches any build of that
   version at a segment boundary (``claude-opus-4-5-20251101``), not ``opus-4-50``.
3. **Exact id**: ``"claude-opus-4-5-20251101"``.

A model is compared under every name it has: the id as typed or sent, its catalog id and its
first-party id, so a Bedrock or Vertex spelling matches the same entries. ``deniedModels`` uses
the same matching without the narrowing rule (narrowing only makes sense for an allowlist).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from claude_models._record import field, record
from claude_models.registry import FAMILY_ALIASES, ONE_M_SUFFIX, Model

TYPE_CHECKING = False
if TYPE_CHECKING:
    from claude_models.resolvers.context import Ctx
    from claude_models.resolvers.setting import Resolved


def _norm(name: str) -> str:
    n = name.strip().lower()
    if n.endswith(ONE_M_SUFFIX):
        n = n[: -len(ONE_M_SUFFIX)]
    return n.removeprefix("claude-")


def _bare(name: str) -> str:
    """An id without a Bedrock geo prefix / ``anthropic.`` / ARN wrapping."""
    n = name.rsplit("/", 1)[-1]
    if "anthropic." in n:
        n = n.split("anthropic.", 1)[1]
    return n


@lru_cache(maxsize=4096)
def _name_key(name: str) -> str:
    """A name as list entries are compared: bare, normalised (cached: names repeat)."""
    return _norm(_bare(name))


# id(model) -> (model, its names): the model is kept so its id() is never reused.
_MODEL_NAMES: dict[int, tuple[Model, frozenset[str]]] = {}


def _model_names(model: Model) -> frozenset[str]:
    """Every name of a catalog model: its id, first-party id, and its id on every provider,
    so an entry spelled for Bedrock or Vertex matches the model however this session spells
    it (found by tests/test_fuzz.py). Computed once per model."""
    found = _MODEL_NAMES.get(id(model))
    if found is None:
        names = frozenset(
            {_norm(model.id), _norm(model.first_party_id)}
            | {_name_key(i) for i in model.ids.values() if i}
        )
        found = _MODEL_NAMES[id(model)] = (model, names)
    return found[1]


def family_of(name: str, model: Model | None) -> str | None:
    if model is not None:
        return model.family
    low = name.lower()
    for fam in FAMILY_ALIASES:
        if fam in low:
            return fam
    return None


@record
class ModelList:
    """A parsed ``availableModels`` or ``deniedModels`` list.

    Matching is indexed so that its cost does not grow with the list: an allowlist of 10,000
    entries answers as fast as one of 10 (see :meth:`matches`), and :meth:`of` is cached per
    list, so the O(n) parse is paid once per distinct list, not once per resolution.
    """

    entries: tuple[str, ...]  # normalised, without "claude-"
    raw: tuple[str, ...]
    _families: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _others: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _narrowed: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    # matches()'s answers so far, by (names, id(model), narrowing), the model kept so that its
    # id is not reused: a list is shared by every snapshot that holds it (_parse is cached)
    # and a resolution asks about the same few models several times. Bounded (_SEEN_MAX).
    _seen: dict[tuple[tuple[str, ...], int, bool], tuple[Model | None, bool]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        families = frozenset(e for e in self.entries if e in FAMILY_ALIASES)
        others = frozenset(e for e in self.entries if e not in FAMILY_ALIASES)
        narrowed = frozenset(
            f for f in FAMILY_ALIASES if any(e.startswith(f + "-") for e in others)
        )
        object.__setattr__(self, "_families", families)
        object.__setattr__(self, "_others", others)
        object.__setattr__(self, "_narrowed", narrowed)

    @classmethod
    def of(cls, items: Sequence[str]) -> ModelList:
        return _parse(tuple(items))

    def narrowed(self, family: str) -> bool:
        """The list holds an entry more specific than the bare family for ``family``."""
        if family in FAMILY_ALIASES:
            return family in self._narrowed
        return any(e != family and e.startswith(family + "-") for e in self.entries)

    def specific_for(self, family: str) -> list[str]:
        """Raw entries narrower than the family (``opus-4-5``, ``claude-opus-4-6``), in order."""
        if family in FAMILY_ALIASES and family not in self._narrowed:
            return []
        return [
            r
            for r, e in zip(self.raw, self.entries, strict=False)
            if e != family and e.startswith(family + "-")
        ]

    def _names(self, names: Iterable[str], model: Model | None) -> set[str]:
        out = {_name_key(n) for n in names}
        if model is not None:
            out |= _model_names(model)
        return out

    def matches(self, names: Iterable[str], model: Model | None, *, narrowing: bool) -> bool:
        """Whether any entry matches the model known by ``names`` (and ``model``).

        A family entry matches the model's family or a name equal to it (unless narrowed);
        any other entry matches a name it equals or is a prefix of at a ``-``/``@``/``:``
        boundary. Instead of testing every entry, each name's few boundary prefixes are
        looked up in the entry set: O(len(name)), whatever the list's length. A pure function
        of the list and its arguments: answers are kept (bounded) per list.
        """
        key = (names if type(names) is tuple else tuple(names), id(model), narrowing)
        seen = self._seen
        hit = seen.get(key)
        if hit is not None and hit[0] is model:
            return hit[1]
        found = self._matches(key[0], model, narrowing)
        if len(seen) >= _SEEN_MAX:
            seen.clear()
        seen[key] = (model, found)
        return found

    def _matches(self, names: tuple[str, ...], model: Model | None, narrowing: bool) -> bool:
        cands = self._names(names, model)
        # The family of every name (a catalog model has its own): a model named by an opus word
        # and run as a sonnet id (opusplan with a custom sonnet pin) belongs to both, as in
        # Claude Code (ls_*opusplan_pin*, ls_sonnet_pin_opusword_* scenarios). Never the first
        # name a set yields: that made the answer depend on PYTHONHASHSEED.
        if model is not None:
            fams = {model.family}
        else:
            fams = {f for n in cands if (f := family_of(n, None))}
        for f in self._families:
            if (f in fams or f in cands) and not (narrowing and f in self._narrowed):
                return True
        others = self._others
        if not others:
            return False
        for c in cands:
            if c in others:
                return True
            for i, ch in enumerate(c):
                if ch in _BOUNDARY and c[:i] in others:
                    return True
        return False

    def allows(self, names: Iterable[str], model: Model | None) -> bool:
        return bool(self.entries) and self.matches(names, model, narrowing=True)

    def denies(self, names: Iterable[str], model: Model | None) -> bool:
        return bool(self.entries) and self.matches(names, model, narrowing=False)

    def denying_entry(self, names: Iterable[str], model: Model | None) -> str | None:
        """The first raw entry that denies the model (for messages; ``None``: none does).
        Walks the entries one by one: only called once a model is known to be denied."""
        names = tuple(names)
        if not self.denies(names, model):
            return None
        for raw in self.raw:
            if raw.strip() and _parse((raw,)).denies(names, model):
                return raw
        return None


_BOUNDARY = frozenset("-@:")
_SEEN_MAX = 1024  # answers kept per list


@lru_cache(maxsize=64)
def _parse(items: tuple[str, ...]) -> ModelList:
    # Entries are normalised like the names they are compared with (_bare included), so an
    # entry spelled for a provider (``us.anthropic.claude-opus-4-6-v1``) matches that id.
    return ModelList(tuple(_norm(_bare(i)) for i in items if i.strip()), items)


def is_allowed(r: Resolved, ctx: Ctx) -> bool:
    return ctx.allow is None or ctx.allow.allows(r.names, r.model)


def is_denied(r: Resolved, ctx: Ctx) -> bool:
    return ctx.denied is not None and ctx.denied.denies(r.names, r.model)


def policy_block(ctx: Ctx, names: Iterable[str], model: Model | None) -> str | None:
    """The managed policy entry that rules a model out, as a phrase for messages, or ``None``
    when policy lets it run: managed ``deniedModels`` covers it, or an *enforced*
    ``availableModels`` does not allow it (an enforced empty list allows nothing). This is the
    test CHANGES.md ("Managed policy against the other knobs") applies to modelOverrides
    targets and fallback models; a plain (not enforced) allowlist does not drop them."""
    names = tuple(names)
    if ctx.denied is not None:
        entry = ctx.denied.denying_entry(names, model)
        if entry is not None:
            return f"deniedModels entry '{entry}' ({ctx.denied_origin or 'managed'})"
    if ctx.enforce and ctx.allow is not None and not ctx.allow.allows(names, model):
        listed = ", ".join(ctx.allow.raw)
        return f"enforced availableModels [{listed}] ({ctx.allow_origin or '-'})"
    return None
