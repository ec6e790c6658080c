"""``claude-models gateway-config --format litellm``: a LiteLLM proxy ``model_list`` covering
every model id the configuration can send, loaded by LiteLLM's own Router."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from claude_models import Flags, Snapshot, resolve
from claude_models.commands.gateway_config import routes, to_litellm_yaml, wire_ids
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox

PROVIDERS: list[tuple[str, dict[str, str], str]] = [
    ("firstParty", {}, "anthropic"),
    ("bedrock", {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1"}, "bedrock"),
    (
        "vertex",
        {
            "CLAUDE_CODE_USE_VERTEX": "1",
            "ANTHROPIC_VERTEX_PROJECT_ID": "proj",
            "CLOUD_ML_REGION": "us-east5",
        },
        "vertex_ai",
    ),
    (
        "foundry",
        {"CLAUDE_CODE_USE_FOUNDRY": "1", "ANTHROPIC_FOUNDRY_RESOURCE": "acme"},
        "azure_ai",
    ),
]


def test_every_id_the_configuration_sends_is_listed() -> None:
    env = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1"}
    snap = Snapshot.of(env=env, flags=Flags(model="opus", fallback_model="sonnet", print_mode=True))
    res = resolve(snap)
    ids = wire_ids(snap, res)
    assert ids[res.main.model][0] == "main"
    assert "fallback 1" in ids[res.fallback_models[0]]
    assert res.side is not None and "side queries" in ids[res.side.model]
    assert any("Agent(model=haiku)" in roles for roles in ids.values())
    # the 3P step-down of the main model (catalog fallback_3p: opus-5-5 -> opus-5)
    assert "eu.anthropic.claude-opus-5" in ids
    assert any(r.startswith("step-down of") for r in ids["eu.anthropic.claude-opus-5"])
    # first party never steps down
    fp = Snapshot.of(flags=Flags(model="opus", print_mode=True))
    assert not any(
        r.startswith("step-down") for roles in wire_ids(fp, resolve(fp)).values() for r in roles
    )


def test_no_credential_is_written() -> None:
    env = {"ANTHROPIC_API_KEY": "sk-ant-api03-SECRETSECRETSECRET"}
    snap = Snapshot.of(env=env, flags=Flags(print_mode=True))
    text = to_litellm_yaml(routes(snap, resolve(snap)), resolve(snap))
    assert "SECRET" not in text and "os.environ/ANTHROPIC_API_KEY" in text


@pytest.fixture(scope="module")
def litellm() -> Any:
    # LiteLLM fetches a price map from the network on import unless told not to.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    return pytest.importorskip("litellm")


# LiteLLM and its pydantic models warn on import; those warnings are theirs, not ours.
@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning", "ignore::ResourceWarning")
@pytest.mark.parametrize(("name", "extra", "prefix"), PROVIDERS, ids=[p[0] for p in PROVIDERS])
def test_litellm_router_loads_the_file(
    name: str, extra: dict[str, str], prefix: str, sandbox: Sandbox, litellm: Any
) -> None:
    yaml = pytest.importorskip("yaml")
    out = sandbox.tmp / "litellm.yaml"
    args = [
        "gateway-config",
        "--format",
        "litellm",
        "--out",
        str(out),
        "--fallback-model",
        "sonnet",
    ]
    args += ["--managed-settings", str(sandbox.tmp / "none.json"), "--cwd", str(sandbox.cwd)]
    run = run_cli(args, env=base_env(sandbox.home, extra), cwd=sandbox.cwd)
    assert run.code == 0, run.stderr
    config = yaml.safe_load(Path(out).read_text(encoding="utf-8"))
    model_list = config["model_list"]
    resolved = run_cli(
        ["resolve", "--fallback-model", "sonnet", "--managed-settings", str(sandbox.tmp / "x")],
        env=base_env(sandbox.home, extra),
        cwd=sandbox.cwd,
    ).json()
    names = [m["model_name"] for m in model_list]
    assert resolved["main"]["model"] in names and resolved["side"]["model"] in names
    assert set(resolved["fallback_models"]) <= set(names)
    router = litellm.Router(model_list=model_list)
    assert {d["model_name"] for d in router.model_list} == set(names)
    for entry in model_list:
        model = entry["litellm_params"]["model"]
        _, provider, _, _ = litellm.get_llm_provider(model=model)
        assert provider == prefix, model
