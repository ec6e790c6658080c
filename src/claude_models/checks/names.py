"""Settings keys and ``CLAUDE_CODE_*`` / ``ANTHROPIC_*`` variable names against Claude Code's.

Claude Code's names come from ``_data/claude_code_names.json``, read from the binary of the
release named there by ``tools/extract_cc_names.py``. A name close to one of them is a typo
(the setting or variable is silently not used); a name Claude Code reads but this project does
not model is listed once (``not_modelled``), so nobody mistakes "not modelled" for "not used".
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from claude_models import env as E
from claude_models.result import Warning
from claude_models.settings.schema import MODEL_KEYS, OTHER_KNOWN_KEYS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

    from claude_models.resolvers.context import Ctx

PREFIXES: Final = ("CLAUDE_CODE_", "ANTHROPIC_")
# Words of the variables that bear on the model system (the rest are not named as unmodelled).
_MODEL_WORDS: Final = (
    "MODEL",
    "EFFORT",
    "THINKING",
    "FALLBACK",
    "REFUSAL",
    "BETAS",
    "1M",
    "TOKENS",
)
DATA: Final = Path(__file__).resolve().parent.parent / "_data" / "claude_code_names.json"


@cache
def claude_code_names() -> tuple[str, frozenset[str], frozenset[str]]:
    """(release, variable names, settings keys) of Claude Code, from the data file."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return data["release"], frozenset(data["env"]), frozenset(data["settings_keys"])


@cache
def modelled_env() -> frozenset[str]:
    """The variables claude-models reads (:mod:`claude_models.env`)."""
    names = {v for k, v in vars(E).items() if k.isupper() and isinstance(v, str)}
    names |= set(E.FAMILY_OVERRIDE.values())
    return frozenset(n for n in names if n.isupper() and "_" in n)


def _close(name: str, pool: frozenset[str] | set[str]) -> str | None:
    import difflib  # only for a name nobody knows

    close = difflib.get_close_matches(name, sorted(pool), n=1, cutoff=0.85)
    return close[0] if close else None


def check(ctx: Ctx, found: list[Warning]) -> list[Warning]:
    """New warnings; replaces today's ``settings_unknown_key`` lines (which call keys Claude
    Code has "not a Claude Code setting" and give no suggestion)."""
    mine = modelled_env()
    others = sorted(v for v in ctx.env if v.startswith(PREFIXES) and v not in mine)
    if not others and not any(layer.unknown_keys for layer in ctx.snap.settings.layers):
        return []  # the common case: the data file is not even read
    release, cc_env, cc_keys = claude_code_names()
    out: list[Warning] = []
    not_modelled: list[str] = []
    origins = ctx.snap.env_origins
    for var in others:
        where = f" ({origins[var]})" if var in origins else ""
        if var in cc_env:
            if var.startswith(("ANTHROPIC_DEFAULT_", "ANTHROPIC_CUSTOM_MODEL_OPTION")) or any(
                w in var for w in _MODEL_WORDS
            ):
                not_modelled.append(var)
            continue
        hint = _close(var, cc_env | mine)
        if hint is not None:
            out.append(
                Warning(
                    "env_name_typo",
                    f"{var}{where} is not a variable Claude Code {release} reads: did you "
                    f"mean {hint}? As spelt it has no effect",
                )
            )
        else:
            out.append(
                Warning(
                    "env_name_unknown",
                    f"{var}{where} is not a variable Claude Code {release} reads; it has no "
                    "effect on Claude Code",
                )
            )
    found[:] = [w for w in found if w.code != "settings_unknown_key"]
    known = set(MODEL_KEYS) | OTHER_KNOWN_KEYS
    keys_not_modelled: list[str] = []
    for layer in ctx.snap.settings.layers:
        for key in layer.unknown_keys:
            if key in cc_keys:
                if "odel" in key or "ffort" in key or "hinking" in key:
                    keys_not_modelled.append(f"{key} ({layer.where})")
                continue
            model_hint = _close(key, set(MODEL_KEYS))
            if model_hint is not None:
                out.append(
                    Warning(
                        "settings_key_typo",
                        f"{layer.where}: key '{key}' is not a Claude Code setting: did you "
                        f"mean '{model_hint}'? As spelt it is kept but not applied",
                    )
                )
                continue
            hint = _close(key, cc_keys | known)
            out.append(
                Warning(
                    "settings_unknown_key",
                    f"{layer.where}: key '{key}' is not a Claude Code {release} setting; "
                    "kept as is, not used"
                    + (f" (did you mean '{hint}'?)" if hint else " (check its spelling)"),
                )
            )
    if not_modelled or keys_not_modelled:
        out.append(
            Warning(
                "not_modelled",
                "Claude Code reads these but claude-models does not model them, so the "
                "answer above may differ from what Claude Code sends: "
                + ", ".join([*not_modelled, *keys_not_modelled]),
            )
        )
    return out
