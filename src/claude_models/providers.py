"""Which provider a session talks to, and how a model id is spelled there.

- :func:`detect` reads the ``CLAUDE_CODE_USE_*`` switches (first one set wins).
- :func:`spell` turns a registry :class:`~.registry.Model` into the id that goes on the wire:
  the Bedrock geo prefix from ``AWS_REGION`` (or ``ANTHROPIC_BEDROCK_REGION_PREFIX``, or a
  discovered inference profile), Vertex ``@date`` ids, Foundry and Mantle ids.
- :func:`translate` does the same for an id the user typed: first-party ids are translated on
  Bedrock, Vertex, Foundry and Mantle; full Bedrock ids, ARNs and Vertex ``@`` ids pass through.
- :func:`region` is the Bedrock region or the Vertex location a request goes to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from claude_models import env as E
from claude_models.registry import BEDROCK_GEO_PREFIXES, Model

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

    from claude_models.kinds import Provider, ProviderStep

# First match wins, in Claude Code's order.
SWITCHES: Final[tuple[tuple[ProviderStep, Provider], ...]] = (
    (E.USE_BEDROCK, "bedrock"),
    (E.USE_VERTEX, "vertex"),
    (E.USE_FOUNDRY, "foundry"),
    (E.USE_ANTHROPIC_AWS, "anthropicAws"),
    (E.USE_ANTHROPIC_GOOGLE_CLOUD, "anthropicGoogleCloud"),
    (E.USE_MANTLE, "mantle"),
    (E.USE_GATEWAY, "gateway"),
)
# Providers that speak the first-party Messages API and take model ids verbatim.
FIRST_PARTY_STYLE: Final[frozenset[str]] = frozenset(
    {"firstParty", "gateway", "anthropicAws", "anthropicGoogleCloud"}
)
# BEHAVIOUR.md 8e: the gateway "behaved as first party" in print mode for aliases, side
# queries and fast mode.
ACTS_AS_FIRST_PARTY: Final[frozenset[str]] = frozenset({"firstParty", "gateway"})
# Third-party clouds whose ids are translated from first-party ids.
TRANSLATING: Final[frozenset[str]] = frozenset({"bedrock", "vertex", "foundry", "mantle"})
DEFAULT_AWS_REGION: Final = "us-east-1"
DEFAULT_VERTEX_REGION: Final = "us-east5"


def detect(env: Mapping[str, str]) -> tuple[Provider, ProviderStep | None]:
    """The provider and the variable that chose it (``None`` for the first-party default)."""
    for var, provider in SWITCHES:
        if E.is_truthy(env.get(var)):
            return provider, var
    return "firstParty", None


def aws_region(env: Mapping[str, str]) -> str:
    return E.get(env, E.AWS_REGION) or E.get(env, E.AWS_DEFAULT_REGION) or DEFAULT_AWS_REGION


def geo_prefix(env: Mapping[str, str]) -> str:
    """The Bedrock cross-region prefix: ``ANTHROPIC_BEDROCK_REGION_PREFIX``, else from the
    region (us-* -> us, eu-* -> eu, ap-* -> apac; anything else keeps the catalog's us)."""
    forced = E.get(env, E.BEDROCK_REGION_PREFIX)
    if forced:
        return forced.rstrip(".")
    return region_geo(aws_region(env))


def region_geo(region: str) -> str:
    r = region.lower()
    if r.startswith("eu-"):
        return "eu"
    if r.startswith("ap-"):
        return "apac"
    return "us"


def with_geo(bedrock_id: str, prefix: str) -> str:
    head, dot, rest = bedrock_id.partition(".")
    if dot and head in BEDROCK_GEO_PREFIXES:
        return f"{prefix}.{rest}"
    return bedrock_id


def is_bedrock_native(model_id: str) -> bool:
    """A full Bedrock model id or ARN, which passes through unchanged."""
    low = model_id.lower()
    return low.startswith("arn:") or "anthropic." in low


def profile_for(model: Model, profiles: Sequence[str], region: str) -> str | None:
    """BEHAVIOUR.md 8b: the system-defined inference profile for ``model``.

    A profile matches when its id contains the model's first-party id. The one whose geo
    prefix matches the region wins wherever it stands; otherwise the first match in listing
    order. ``None`` when nothing matches (the built-in id is used).
    """
    needle = model.first_party_id.lower()
    matches = [p for p in profiles if needle in p.lower()]
    if not matches:
        return None
    want = region_geo(region)
    for p in matches:
        if p.split(".", 1)[0].lower() == want:
            return p
    return matches[0]


def spell(
    model: Model,
    provider: Provider,
    env: Mapping[str, str],
    profiles: Sequence[str] | None = None,
) -> str:
    """The wire id of a known model on ``provider``."""
    pid = model.id_on(provider)
    if provider == "bedrock":
        if profiles:
            found = profile_for(model, profiles, aws_region(env))
            if found is not None:
                return found
        if pid is None:
            return model.first_party_id
        return with_geo(pid, geo_prefix(env))
    if pid is None:
        # BEHAVIOUR.md 8e: on Mantle a model without a mantle id is sent with its first-party id.
        return model.first_party_id
    return pid


def translate(
    typed: str,
    model: Model | None,
    provider: Provider,
    env: Mapping[str, str],
    profiles: Sequence[str] | None = None,
) -> str:
    """The wire id for an id the user typed (``typed`` has no ``[1m]`` suffix).

    A 3P provider translates only a model's *first-party* id (``claude-sonnet-4-5-20250929``,
    ``claude-opus-4-6``): any other name of a known model (``claude-sonnet-4-5``, the catalog
    id of a dated model) is sent as typed, which the provider then refuses. Observed on 2.1.328
    and 2.1.332 with the harness (``id_bd_sonnet45``, ``id_bd_sonnet45_dated``,
    ``id_vx_opus45``, ``id_bd_haiku45_env``, ``cx_*_sonnet45_1m``; docs/decisions/lead.md)."""
    if model is None or provider in FIRST_PARTY_STYLE:
        return typed
    if typed.lower() != model.first_party_id.lower() and typed.lower() == model.id.lower():
        return typed
    if provider == "bedrock" and is_bedrock_native(typed):
        return typed
    if provider == "vertex" and "@" in typed:
        return typed
    if provider == "mantle" and typed.lower().startswith("anthropic."):
        return typed
    return spell(model, provider, env, profiles)


def region(
    provider: Provider, model: Model | None, env: Mapping[str, str], *, side: bool = False
) -> tuple[str | None, str | None]:
    """The region a request goes to, and the variable that set it (``None``: built-in)."""
    if provider == "bedrock":
        if side and E.get(env, E.SMALL_FAST_MODEL_AWS_REGION):
            return E.get(env, E.SMALL_FAST_MODEL_AWS_REGION), E.SMALL_FAST_MODEL_AWS_REGION
        for var in (E.AWS_REGION, E.AWS_DEFAULT_REGION):
            if E.get(env, var):
                return E.get(env, var), var
        return DEFAULT_AWS_REGION, None
    if provider == "vertex":
        if model is not None and model.vertex_region_env and E.get(env, model.vertex_region_env):
            return E.get(env, model.vertex_region_env), model.vertex_region_env
        if E.get(env, E.CLOUD_ML_REGION):
            return E.get(env, E.CLOUD_ML_REGION), E.CLOUD_ML_REGION
        return DEFAULT_VERTEX_REGION, None
    return None, None
