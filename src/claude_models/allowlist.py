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
from dataclasses import dataclass

from claude_models.registry import FAMILY_ALIASES, ONE_M_SUFFIX, Model


def _norm(name: str) -> str:
    n = name.strip().lower()
    if n.endswith(ONE_M_SUFFIX):
        n = n[: -len(ONE_M_SUFFIX)]
    return n.removeprefix("claude-")


def _prefix_match(name: str, entry: str) -> bool:
    return name == entry or (name.startswith(entry) and name[len(entry)] in "-@:")


def _bare(name: str) -> str:
    """An id without a Bedrock geo prefix / ``anthropic.`` / ARN wrapping."""
    n = name.rsplit("/", 1)[-1]
    if "anthropic." in n:
        n = n.split("anthropic.", 1)[1]
    return n


def family_of(name: str, model: Model | None) -> str | None:
    if model is not None:
        return model.family
    low = name.lower()
    for fam in FAMILY_ALIASES:
        if fam in low:
            return fam
    return None


@dataclass(frozen=True, slots=True)
class ModelList:
    """A parsed ``availableModels`` or ``deniedModels`` list."""

    entries: tuple[str, ...]  # normalised, without "claude-"
    raw: tuple[str, ...]

    @classmethod
    def of(cls, items: Sequence[str]) -> ModelList:
        return cls(tuple(_norm(i) for i in items if i.strip()), tuple(items))

    def narrowed(self, family: str) -> bool:
        """The list holds an entry more specific than the bare family for ``family``."""
        return any(e != family and e.startswith(family + "-") for e in self.entries)

    def specific_for(self, family: str) -> list[str]:
        """Raw entries narrower than the family (``opus-4-5``, ``claude-opus-4-6``), in order."""
        return [
            r
            for r, e in zip(self.raw, self.entries, strict=False)
            if e != family and e.startswith(family + "-")
        ]

    def _names(self, names: Iterable[str], model: Model | None) -> set[str]:
        out = {_norm(_bare(n)) for n in names}
        if model is not None:
            out.add(_norm(model.id))
            out.add(_norm(model.first_party_id))
        return out

    def matches(self, names: Iterable[str], model: Model | None, *, narrowing: bool) -> bool:
        """Whether any entry matches the model known by ``names`` (and ``model``)."""
        cands = self._names(names, model)
        fam = None
        for n in cands:
            fam = family_of(n, model)
            if fam:
                break
        for entry in self.entries:
            if entry in FAMILY_ALIASES:
                if fam == entry and not (narrowing and self.narrowed(entry)):
                    return True
                if entry in cands and not (narrowing and self.narrowed(entry)):
                    return True
                continue
            if any(_prefix_match(c, entry) for c in cands):
                return True
        return False

    def allows(self, names: Iterable[str], model: Model | None) -> bool:
        return bool(self.entries) and self.matches(names, model, narrowing=True)

    def denies(self, names: Iterable[str], model: Model | None) -> bool:
        return bool(self.entries) and self.matches(names, model, narrowing=False)
