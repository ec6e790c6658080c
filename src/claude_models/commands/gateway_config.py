"""``claude-models gateway-config --format litellm [--out FILE]``: a LiteLLM proxy
``model_list`` that accepts every model id this configuration can send.

The ids: the main loop, the fallback models, the 3P step-downs (the catalog's ``fallback_3p``
chain of each, which 2.1.332 walks on Bedrock, Vertex and Foundry, and probes first with the
``/model`` validation probe), the side-query model, the model of each ``Agent`` alias and of
each custom agent and ``CLAUDE_CODE_SUBAGENT_MODEL``. Each ``model_name`` is the id exactly as
Claude Code sends it; ``litellm_params.model`` routes it to the session's provider with
LiteLLM's naming (``anthropic/``, ``bedrock/``, ``vertex_ai/``, ``azure_ai/``). Credentials
are never written: ``os.environ/NAME`` references only.

The YAML is written by hand (no PyYAML dependency): every scalar is double-quoted JSON, which
is valid YAML.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from claude_models import env as E
from claude_models import providers
from claude_models._record import record, replace
from claude_models.commands._common import snapshot_of
from claude_models.errors import UsageError
from claude_models.registry import Registry, registry
from claude_models.resolver import resolve
from claude_models.resolvers.setting import split_1m
from claude_models.result import Resolution
from claude_models.snapshot import Snapshot

ORDER = 60
AGENT_ALIASES = ("sonnet", "opus", "haiku", "fable")
FORMATS = ("litellm",)
STEP_DOWN_PROVIDERS = frozenset({"bedrock", "vertex", "foundry"})


@record
class Route:
    model_name: str  # the id as Claude Code sends it
    params: tuple[tuple[str, str], ...]  # litellm_params, in order
    roles: tuple[str, ...]


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "gateway-config",
        parents=[common],
        help="a LiteLLM proxy model_list covering every model id this configuration sends",
        description=(
            "Write a gateway configuration (LiteLLM proxy model_list, YAML) that accepts every "
            "model id this Claude Code configuration can send: main loop, fallbacks and 3P "
            "step-downs, side queries, subagents and validation probes."
        ),
    )
    p.add_argument("--format", choices=FORMATS, default="litellm", help="gateway format")
    p.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")
    p.set_defaults(run=run)


def wire_ids(snap: Snapshot, res: Resolution) -> dict[str, list[str]]:
    """Every id this configuration can send -> the roles that send it, in first-use order."""
    reg = registry()
    found: dict[str, list[str]] = {}

    def add(model: str | None, role: str) -> None:
        if not model:
            return
        roles = found.setdefault(model, [])
        if role not in roles:
            roles.append(role)

    add(res.main.model, "main")
    for i, wire in enumerate(res.fallback_models, 1):
        add(wire, f"fallback {i}")
    if res.side is not None:
        add(res.side.model, "side queries")
    if res.subagent is not None and res.subagent.request is not None:
        add(res.subagent.request.model, f"Agent({res.subagent.agent_type})")
    for alias in AGENT_ALIASES:
        probe = replace(snap, agent={"subagent_type": "general-purpose", "model": alias})
        sub = resolve(probe).subagent
        if sub is not None and sub.request is not None:
            add(sub.request.model, f"Agent(model={alias})")
    for name in sorted(snap.agents):
        probe = replace(snap, agent={"subagent_type": name})
        sub = resolve(probe).subagent
        if sub is not None and sub.request is not None:
            add(sub.request.model, f"agent {name}")
    if res.provider in STEP_DOWN_PROVIDERS:
        for wire in list(found):
            for step in step_downs(wire, res.provider, snap, reg):
                add(step, f"step-down of {wire} (and its validation probe)")
    if res.skill is not None:
        add(res.skill.model, "skill")
    return found


def step_downs(wire: str, provider: str, snap: Snapshot, reg: Registry) -> Iterable[str]:
    """The catalog's ``fallback_3p`` chain of ``wire``, spelled for ``provider``."""
    model = reg.find(wire)
    seen: set[str] = set()
    while model is not None and model.fallback_3p and model.fallback_3p not in seen:
        seen.add(model.fallback_3p)
        model = reg.by_id.get(model.fallback_3p)
        if model is not None:
            yield providers.spell(model, provider, snap.env, snap.inference_profiles)  # type: ignore[arg-type]


def route(model: str, roles: list[str], res: Resolution, snap: Snapshot) -> Route:
    env = snap.env
    base = split_1m(model)[0]
    params: list[tuple[str, str]]
    if res.provider == "bedrock":
        region = res.main.region or providers.aws_region(env)
        if "side queries" in roles and res.side is not None and res.side.region:
            region = res.side.region
        params = [("model", f"bedrock/{base}"), ("aws_region_name", region)]
    elif res.provider == "vertex":
        found = registry().find(base)
        location, _ = providers.region("vertex", found, env)
        params = [
            ("model", f"vertex_ai/{base}"),
            ("vertex_project", f"os.environ/{E.VERTEX_PROJECT_ID}"),
            ("vertex_location", location or providers.DEFAULT_VERTEX_REGION),
        ]
    elif res.provider == "foundry":
        resource = E.get(env, E.FOUNDRY_RESOURCE)
        api_base = E.get(env, E.FOUNDRY_BASE_URL) or (
            f"https://{resource}.services.ai.azure.com/anthropic" if resource else None
        )
        params = [("model", f"azure_ai/{base}")]
        if api_base:
            params.append(("api_base", api_base))
        params.append(("api_key", f"os.environ/{E.FOUNDRY_API_KEY}"))
    else:
        params = [("model", f"anthropic/{base}"), ("api_key", f"os.environ/{E.API_KEY}")]
    return Route(model, tuple(params), tuple(roles))


def routes(snap: Snapshot, res: Resolution) -> list[Route]:
    return [route(m, roles, res, snap) for m, roles in wire_ids(snap, res).items()]


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def to_litellm_yaml(found: list[Route], res: Resolution) -> str:
    lines = [
        "# LiteLLM proxy model_list written by `claude-models gateway-config`:",
        f"# every model id this configuration sends ({res.provider}).",
        "model_list:",
    ]
    for r in found:
        lines.append(f"  # {', '.join(r.roles)}")
        lines.append(f"  - model_name: {_q(r.model_name)}")
        lines.append("    litellm_params:")
        lines += [f"      {k}: {_q(v)}" for k, v in r.params]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    snap = snapshot_of(args)
    res = resolve(snap)
    text = to_litellm_yaml(routes(snap, res), res)
    if not args.out:
        sys.stdout.write(text)
        return 0
    try:
        write_whole(Path(args.out), text)
    except OSError as exc:
        raise UsageError(f"--out: cannot write {args.out} ({exc.strerror})") from None
    print(f"wrote {args.out}: {len(found_ids(text))} model ids")
    return 0


def found_ids(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.startswith("  - model_name:")]


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file, then a rename)."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
