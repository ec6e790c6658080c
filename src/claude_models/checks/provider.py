"""Provider checks: ids written for another provider, malformed Bedrock ids, regions and
locations that do not exist, a Vertex setup without a project, two provider switches."""

from __future__ import annotations

from claude_models import env as E
from claude_models import providers
from claude_models.checks import _catalog as C
from claude_models.resolvers.setting import split_1m
from claude_models.result import Warning

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

    from claude_models.resolvers.context import Ctx

# AWS regions (commercial, GovCloud, China), as AWS names them.
AWS_REGIONS: Final = frozenset(
    {
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1",
        "mx-central-1", "sa-east-1", "af-south-1", "il-central-1", "me-south-1", "me-central-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1",
        "eu-south-2", "eu-north-1", "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
        "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-7", "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
    }
)  # fmt: skip
# Google Cloud locations (regions, and Vertex AI's "global" and multi-region "us" / "eu").
VERTEX_LOCATIONS: Final = frozenset(
    {
        "global", "us", "eu", "us-central1", "us-east1", "us-east4", "us-east5", "us-south1",
        "us-west1", "us-west2", "us-west3", "us-west4", "northamerica-northeast1",
        "northamerica-northeast2", "northamerica-south1", "southamerica-east1",
        "southamerica-west1", "europe-central2", "europe-north1", "europe-north2",
        "europe-southwest1", "europe-west1", "europe-west2", "europe-west3", "europe-west4",
        "europe-west6", "europe-west8", "europe-west9", "europe-west10", "europe-west12",
        "me-central1", "me-central2", "me-west1", "africa-south1", "asia-east1", "asia-east2",
        "asia-northeast1", "asia-northeast2", "asia-northeast3", "asia-south1", "asia-south2",
        "asia-southeast1", "asia-southeast2", "australia-southeast1", "australia-southeast2",
    }
)  # fmt: skip
# Where each Bedrock cross-region prefix can be called from (a source region of that geo).
_GEO_REGIONS: Final[dict[str, tuple[str, ...]]] = {
    "us": ("us-east-", "us-west-"),
    "us-gov": ("us-gov-",),
    "eu": ("eu-",),
    "apac": ("ap-",),
    "jp": ("ap-northeast-1", "ap-northeast-3"),
    "au": ("ap-southeast-2", "ap-southeast-4"),
    "ca": ("ca-",),
}
_SUFFIXES: Final = ("-v1:0", ":0", "-v1", "-v2:0")


def _region_for(ctx: Ctx, *, side: bool) -> tuple[str, str]:
    if side and E.get(ctx.env, E.SMALL_FAST_MODEL_AWS_REGION):
        return E.SMALL_FAST_MODEL_AWS_REGION, E.get(ctx.env, E.SMALL_FAST_MODEL_AWS_REGION) or ""
    for var in (E.AWS_REGION, E.AWS_DEFAULT_REGION):
        value = E.get(ctx.env, var)
        if value:
            return var, value
    return "the default region", providers.DEFAULT_AWS_REGION


def bedrock_problem(value: str, ctx: Ctx, *, side: bool = False) -> str | None:
    """What is wrong with a Bedrock model id on a Bedrock session, with the fix; ``None`` for
    an id that is fine, not a Bedrock id, or an ARN (inference profiles are never flagged)."""
    if ctx.provider != "bedrock" or C.is_arn(value) or "anthropic." not in value.lower():
        return None
    low = value.strip().lower()
    head, dot, _ = low.partition(".")
    if dot and head in _GEO_REGIONS:
        var, region = _region_for(ctx, side=side)
        if not region.lower().startswith(_GEO_REGIONS[head]):
            want = providers.region_geo(region)
            return (
                f"its geo prefix '{head}.' is a cross-region profile that cannot be called "
                f"from {var}={region}: use {providers.with_geo(value.strip(), want)} (or set "
                f"{var} to a region of that geo)"
            )
    if ctx.reg.find(low) is None:
        for suffix in _SUFFIXES:
            if ctx.reg.find(low + suffix) is not None:
                return f"it lacks the version suffix: did you mean {value.strip()}{suffix}?"
        hint = C.suggest(value, ctx.reg)
        if hint is not None:
            return f"it is not a Bedrock model id: did you mean {hint}?"
    return None


def _other_provider(value: str, ctx: Ctx) -> str | None:
    """The provider an id is spelled for, when it is not this first-party-style session's."""
    low = value.lower()
    model = ctx.reg.find(low)
    if C.is_arn(low) or ("anthropic." in low and model is not None):
        return "Bedrock"
    if "@" in low and model is not None:
        return "Vertex"
    return None


def check(ctx: Ctx, slots: C.Slots) -> list[Warning]:
    out: list[Warning] = []
    out += _switches(ctx)
    if ctx.provider == "bedrock":
        out += _bedrock_ids(ctx, slots)
        out += _regions(ctx, (E.AWS_REGION, E.AWS_DEFAULT_REGION, E.SMALL_FAST_MODEL_AWS_REGION))
    if ctx.provider == "vertex":
        vertex_vars = sorted(v for v in ctx.env if v.startswith("VERTEX_REGION_"))
        out += _regions(ctx, (E.CLOUD_ML_REGION, *vertex_vars))
        if not E.get(ctx.env, E.VERTEX_PROJECT_ID):
            out.append(
                Warning(
                    "vertex_project_missing",
                    f"{ctx.provider_source} is on but {E.VERTEX_PROJECT_ID} is not set; every "
                    "Vertex request needs the Google Cloud project: set "
                    f"{E.VERTEX_PROJECT_ID}=<your project id>",
                )
            )
    if ctx.provider in ("firstParty", "anthropicAws", "anthropicGoogleCloud") and not E.get(
        ctx.env, E.BASE_URL
    ):
        out += slots.findings(lambda slot: _wrong_provider(slot, ctx))
    return out


def _wrong_provider(slot: C.Slot, ctx: Ctx) -> list[Warning]:
    if slot.kind == "override_key":
        return []
    base = split_1m(slot.value)[0]
    other = _other_provider(base, ctx)
    if other is None:
        return []
    model = ctx.reg.find(base)
    right = model.id_on(ctx.provider) or model.first_party_id if model else None
    fix = f"use {right} or an alias" if right else "use an alias"
    return [
        Warning(
            "model_id_wrong_provider",
            f"{slot.label} ({slot.where}) is '{base}', a {other} id, but this session "
            f"runs on {ctx.provider}: it is sent verbatim and the request fails; {fix} "
            f"(keep {other} ids in the {other} setup's own settings or env)",
        )
    ]


def _switches(ctx: Ctx) -> list[Warning]:
    on = [var for var, _ in providers.SWITCHES if E.is_truthy(ctx.env.get(var))]
    if len(on) < 2:
        return []
    origins = ctx.snap.env_origins
    named = ", ".join(f"{v} ({origins[v]})" if v in origins else v for v in on)
    return [
        Warning(
            "provider_switch_conflict",
            f"{len(on)} provider switches are on: {named}; Claude Code uses the first, "
            f"{ctx.provider}, and ignores the rest: unset the ones you do not mean",
        )
    ]


def _bedrock_ids(ctx: Ctx, slots: C.Slots) -> list[Warning]:
    def finding(slot: C.Slot) -> list[Warning]:
        if slot.kind == "override_key":
            return []
        base = split_1m(slot.value)[0]
        problem = bedrock_problem(base, ctx, side=slot.kind == "side")
        if problem is None:
            return []
        return [
            Warning("bedrock_id_malformed", f"{slot.label} ({slot.where}) is '{base}': {problem}")
        ]

    return slots.findings(finding)


def _regions(ctx: Ctx, variables: tuple[str, ...]) -> list[Warning]:
    import difflib

    out: list[Warning] = []
    known = AWS_REGIONS if ctx.provider == "bedrock" else VERTEX_LOCATIONS
    what = "an AWS region" if ctx.provider == "bedrock" else "a Google Cloud location"
    for var in variables:
        value = E.get(ctx.env, var)
        if not value or value.lower() in known:
            continue
        close = difflib.get_close_matches(value.lower(), sorted(known), n=1, cutoff=0.6)
        hint = f": did you mean {close[0]}?" if close else ""
        origin = ctx.snap.env_origins.get(var)
        out.append(
            Warning(
                "region_unknown",
                f"{var}={value}{f' ({origin})' if origin else ''} is not {what}; "
                f"requests to it fail{hint}",
            )
        )
    return out
