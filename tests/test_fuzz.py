"""Fuzzing the resolver and the CLI with Hypothesis (issue 5, item 3).

Two budgets: the default run (CI) uses the short ``ci`` profile, a few seconds in all;
``pytest -m fuzz`` loads the long ``fuzz`` profile (tests/conftest.py). In-process tests get
the large budget (``Snapshot.of`` / ``Layer.parse``), CLI tests, a subprocess per example,
a tenth of it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from claude_models import AgentDef, Flags, Snapshot, env
from claude_models.env import SECRETS
from claude_models.registry import registry
from claude_models.resolver import compute
from claude_models.resolvers.policy import ModelList
from claude_models.settings.layers import Layer
from claude_models.settings.scopes import Scope
from tests.clirun import base_env, run_cli
from tests.contract import contract_errors

pytestmark = pytest.mark.fuzz

BUDGET = settings().max_examples  # the loaded profile's: ci or fuzz
IN_PROCESS = settings(
    max_examples=BUDGET, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
CLI = settings(
    max_examples=max(4, BUDGET // 10),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# A whole CLI case (five settings files, the environment, the arguments) can print as tens of
# kB; Hypothesis then warns about its own repr, which the suite's filterwarnings=error made a
# failure of the long profile (-m fuzz). It says nothing about the code under test.
LARGE_CASES = pytest.mark.filterwarnings("ignore:Generating overly large repr")

# ---------------------------------------------------------------- strategies

ENV_VARS = sorted(
    v for k, v in vars(env).items() if k.isupper() and isinstance(v, str) and v.isupper()
)
MODEL_WORDS = sorted(
    {m.id for m in registry().models}
    | {i for m in registry().models for i in m.ids.values() if i}
    | {"opus", "sonnet", "haiku", "fable", "best", "default", "opusplan", "SONNET", "opus-4-5"}
    | {"sonnet[1m]", "opus[1m]", "claude-opus-4-1", "claude-foo-9", "opus-4-6", "haiku-4-5"}
    | {"arn:aws:bedrock:us-east-1:1:application-inference-profile/p", "us.anthropic.x"}
)
# characters a process environment and argv can carry (no NUL, no lone surrogates)
SAFE_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))
models = st.one_of(
    st.sampled_from(MODEL_WORDS), SAFE_TEXT, st.sampled_from(MODEL_WORDS).map(lambda m: m + "[1m]")
)
efforts = st.one_of(
    st.sampled_from(["low", "medium", "high", "xhigh", "max", "auto", "HIGH", "", " "]), SAFE_TEXT
)
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text()
)
any_json = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
model_lists = st.lists(st.one_of(models, json_scalars), max_size=5)


def settings_objects(pool: st.SearchStrategy[str] = models) -> st.SearchStrategy[Any]:
    """A settings layer: anything JSON, or an object whose model keys hold right or wrong
    types (wrong types must be ignored with a warning, never crash)."""
    model_keys = st.fixed_dictionaries(
        {},
        optional={
            "model": st.one_of(pool, any_json),
            "availableModels": st.one_of(st.lists(pool, max_size=4), any_json),
            "enforceAvailableModels": st.one_of(st.booleans(), any_json),
            "deniedModels": st.one_of(st.lists(pool, max_size=4), any_json),
            "effortLevel": st.one_of(efforts, any_json),
            "modelSettings": st.one_of(
                st.dictionaries(
                    pool,
                    st.one_of(st.fixed_dictionaries({"effortLevel": efforts}), any_json),
                    max_size=3,
                ),
                any_json,
            ),
            "fastMode": st.one_of(st.booleans(), any_json),
            "alwaysThinkingEnabled": st.one_of(st.booleans(), any_json),
            "fallbackModel": st.one_of(st.lists(pool, max_size=4), any_json),
            "modelOverrides": st.one_of(st.dictionaries(pool, pool, max_size=3), any_json),
            "env": st.one_of(
                st.dictionaries(st.sampled_from(ENV_VARS), SAFE_TEXT, max_size=3), any_json
            ),
        },
    )
    return st.one_of(model_keys, any_json, model_keys)


envs = st.dictionaries(
    st.sampled_from(ENV_VARS),
    st.one_of(
        st.sampled_from(["1", "true", "0", "", " ", "us-east-1", "eu-west-1", "global"]),
        models,
        SAFE_TEXT,
    ),
    max_size=6,
)
flags = st.builds(
    Flags,
    model=st.none() | models,
    permission_mode=st.none() | st.sampled_from(["plan", "default", "PLAN", ""]) | SAFE_TEXT,
    effort=st.none() | efforts,
    fallback_model=st.none() | st.lists(models, max_size=4).map(",".join) | SAFE_TEXT,
    print_mode=st.booleans(),
)
agent_calls = st.none() | st.one_of(
    st.fixed_dictionaries(
        {
            "subagent_type": st.sampled_from(
                ["general-purpose", "Explore", "Plan", "fork", "mine", "nope"]
            )
            | st.text()
        },
        optional={"model": st.one_of(models, any_json), "effort": st.one_of(efforts, any_json)},
    ),
    st.dictionaries(st.text(), any_json, max_size=3),
)
agent_defs = st.lists(
    st.builds(
        AgentDef,
        name=st.sampled_from(["mine", "other"]),
        model=st.none() | models,
        effort=st.none() | efforts,
        path=st.just("<fuzz>"),
        scope=st.just("project"),
    ),
    max_size=2,
)


def snapshot(
    d: st.DataObject,
    *,
    layers: dict[str, st.SearchStrategy[Any]] | None = None,
    environ: st.SearchStrategy[dict[str, str]] = envs,
) -> tuple[Snapshot, dict[str, Any]]:
    scopes = layers or {
        s: settings_objects() for s in ("user", "project", "local", "flag", "managed")
    }
    given_layers = {s: d.draw(st.none() | strat, label=s) for s, strat in scopes.items()}
    kw: dict[str, Any] = {
        "env": d.draw(environ, label="env"),
        "flags": d.draw(flags, label="flags"),
        "agent": d.draw(agent_calls, label="agent"),
        "agents": d.draw(agent_defs, label="agents"),
        "subscription": d.draw(st.sampled_from(["api", "pro", "max", "enterprise", "unknown"])),
    }
    layer_objs = dict(given_layers)
    # Snapshot.of takes objects; a non-object layer goes through Layer.parse on its own
    objs: dict[str, Any] = {s: (v if isinstance(v, dict) else None) for s, v in layer_objs.items()}
    for s, v in layer_objs.items():
        if v is not None and not isinstance(v, dict):
            bad = Layer.parse(Scope(s), "<fuzz>", v)
            assert bad.problems and not bad.valid
    return Snapshot.of(**objs, **kw), {**kw, **objs}


def objects_only(layers: dict[str, Any]) -> dict[str, Any]:
    """``Snapshot.of`` takes parsed objects; other JSON goes through ``Layer.parse`` alone."""
    return {k: (v if isinstance(v, dict) else None) for k, v in layers.items()}


def wire_names(req: dict[str, Any]) -> tuple[list[str], Any]:
    names = [req["model"]]
    if req.get("setting"):
        names.append(req["setting"])
    if req.get("catalog_id"):
        names.append(req["catalog_id"])
    model = registry().find(req["catalog_id"]) if req.get("catalog_id") else None
    return names, model


# ---------------------------------------------------------------- in-process properties


@IN_PROCESS
@given(st.data())
def test_any_snapshot_resolves_to_the_contract(data: st.DataObject) -> None:
    """Whatever the settings layers, env and flags hold: compute() never raises, its JSON
    satisfies the resolve --json contract, and the same inputs give the same output."""
    snap, kw = snapshot(data)
    out = compute(snap).to_json()
    assert contract_errors(out) == []
    json.dumps(out)  # serialisable as is
    again = Snapshot.of(**kw)
    assert compute(again).to_json() == out == compute(snap).to_json()


# Lists drawn from names of the catalog, so that matching is exercised, not just missed.
LIST_POOL = st.sampled_from(MODEL_WORDS)
# Environment without the variables that remap an alias after the allowlist check
# (ANTHROPIC_DEFAULT_*_MODEL, modelOverrides): there the wire id is the admin's own.
PLAIN_ENV = st.dictionaries(
    st.sampled_from([v for v in ENV_VARS if "DEFAULT_" not in v]),
    st.sampled_from(["1", "", "us-east-1", "eu-west-1", "global"]) | LIST_POOL,
    max_size=4,
)


@IN_PROCESS
@given(st.data())
def test_an_enforced_non_empty_allowlist_is_never_escaped(data: st.DataObject) -> None:
    """With enforceAvailableModels and a non-empty availableModels, the main-loop model is
    always one the list allows; an empty list keeps the built-in default (as Claude Code)."""
    allow = data.draw(st.lists(LIST_POOL, max_size=4), label="availableModels")
    scope = data.draw(st.sampled_from(["user", "managed"]), label="scope")
    policy = {"availableModels": allow, "enforceAvailableModels": True}
    others = {
        s: data.draw(
            st.none()
            | settings_objects(LIST_POOL).filter(
                lambda o: (
                    not isinstance(o, dict)
                    or not {"modelOverrides", "env", "availableModels", "enforceAvailableModels"}
                    & set(o)
                )
            )
        )
        for s in ("project", "local", "flag")
    }
    layers = {scope: policy, **objects_only(others)}
    snap = Snapshot.of(
        **layers,
        env=data.draw(PLAIN_ENV, label="env"),
        flags=data.draw(flags, label="flags"),
    )
    out = compute(snap).to_json()
    ml = ModelList.of(allow)
    if ml.entries:
        names, model = wire_names(out["main"])
        assert ml.allows(names, model), (allow, out["main"])
    else:
        # the built-in default: no model chosen anywhere (an empty list blocks every choice)
        plain = {k: v for k, v in snap.env.items() if k != "ANTHROPIC_MODEL"}
        default = compute(Snapshot.of(env=plain, flags=Flags(print_mode=snap.flags.print_mode)))
        if out["main"]["source"] == "default":
            assert out["main"]["model"] == default.main.model


DENY_POOL = st.sampled_from([w for w in MODEL_WORDS if "fable" not in w.lower()])


@IN_PROCESS
@given(st.data())
def test_managed_denied_models_always_win(data: st.DataObject) -> None:
    """A model in managed deniedModels is never the main-loop or side-query model, whatever
    any other layer, variable or flag asks for. (Lists are drawn without fable, so a family
    to fall back to always exists; a policy that denies every family has no answer.)"""
    denied = data.draw(st.lists(DENY_POOL, min_size=1, max_size=4), label="deniedModels")
    managed: dict[str, Any] = {"deniedModels": denied}
    if data.draw(st.booleans(), label="managed model"):
        managed["model"] = data.draw(LIST_POOL)
    layers = {
        s: data.draw(
            st.none()
            | settings_objects(LIST_POOL).filter(
                lambda o: not isinstance(o, dict) or not {"modelOverrides", "env"} & set(o)
            ),
            label=s,
        )
        for s in ("user", "project", "local", "flag")
    }
    snap = Snapshot.of(
        **objects_only(layers),
        managed=managed,
        env=data.draw(PLAIN_ENV, label="env"),
        flags=data.draw(flags, label="flags"),
    )
    out = compute(snap).to_json()
    ml = ModelList.of(denied)
    names, model = wire_names(out["main"])
    assert not ml.denies(names, model), (denied, out["main"])
    side = out["side"]
    if side is not None:
        side_model = registry().find(side["catalog_id"]) if side.get("catalog_id") else None
        assert not ml.denies([side["model"]], side_model), (denied, side)


@IN_PROCESS
@given(
    st.lists(st.one_of(LIST_POOL, st.text(max_size=12)), max_size=6),
    st.lists(st.one_of(LIST_POOL, st.text(max_size=20)), min_size=1, max_size=3),
    st.booleans(),
)
def test_indexed_matching_equals_the_definition(
    entries: list[str], names: list[str], narrowing: bool
) -> None:
    """ModelList.matches (indexed) agrees with the three-tier definition tested entry by
    entry: family (unless narrowed), version prefix at a -/@/: boundary, exact id."""
    ml = ModelList.of(entries)
    model = next((m for m in map(registry().find, names) if m is not None), None)
    cands = ml._names(names, model)
    from claude_models.registry import FAMILY_ALIASES
    from claude_models.resolvers.policy import family_of

    fam = next((f for f in (family_of(n, model) for n in cands) if f), None)

    def narrowed(f: str) -> bool:
        return any(e != f and e.startswith(f + "-") for e in ml.entries)

    def prefix(name: str, entry: str) -> bool:
        return name == entry or (name.startswith(entry) and name[len(entry)] in "-@:")

    expected = False
    for e in ml.entries:
        if e in FAMILY_ALIASES:
            if (fam == e or e in cands) and not (narrowing and narrowed(e)):
                expected = True
        elif any(prefix(c, e) for c in cands):
            expected = True
    assert ml.matches(names, model, narrowing=narrowing) == expected


# ---------------------------------------------------------------- through files and the CLI


FILE_TEXT = st.one_of(
    settings_objects().map(json.dumps),
    st.text(max_size=60),
    st.sampled_from(["", "{", "[]", "null", '{"model": ', "\ufeff{}", "{} {}", "[" * 1100]),
)
FILE_BYTES = st.one_of(
    FILE_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=40)
)
# Secret variables get planted secrets, never a value another strategy can draw: the leak
# check of every CLI run (tests/clirun.py) looks for each secret and its last 8 characters
# in the output, so a model word drawn as an API key was "leaked" by being printed as the
# model. cli_inputs also rejects a case where any other value happens to contain a secret.
PLANTED = st.text(alphabet="QXZJVW", min_size=16, max_size=24).map(lambda s: f"sk-planted-{s}")
CLI_ENV = st.dictionaries(
    st.sampled_from([v for v in ENV_VARS if v not in ("HOME", "PATH", *SECRETS)]),
    st.one_of(
        st.sampled_from(["1", "true", "", "us-east-1", "global"]),
        st.sampled_from(MODEL_WORDS),
        SAFE_TEXT,
    ),
    max_size=5,
) | st.dictionaries(st.sampled_from(sorted(SECRETS)), PLANTED, max_size=2)


def planted_secrets_are_distinct(
    files: dict[str, bytes], environ: dict[str, str], args: list[str]
) -> bool:
    """No generated value other than a secret holds a secret or its tail (the leak check's
    two probes)."""
    secrets = [v for k, v in environ.items() if k in SECRETS]
    others = [
        *args,
        *(v for k, v in environ.items() if k not in SECRETS),
        *(b.decode("utf-8", "replace") for b in files.values()),
    ]
    return not any(s in o or s[-8:] in o for s in secrets for o in others)


ARG_TEXT = SAFE_TEXT.filter(lambda s: not s.startswith("-"))


@st.composite
def cli_inputs(draw: st.DrawFn) -> tuple[dict[str, bytes], dict[str, str], list[str]]:
    files = {
        where: draw(FILE_BYTES)
        for where in draw(st.sets(st.sampled_from(["user", "project", "local", "managed", "flag"])))
    }
    args = ["-p"] if draw(st.booleans()) else []
    for flag, strat in (
        ("--model", st.sampled_from(MODEL_WORDS) | ARG_TEXT),
        ("--effort", efforts.filter(lambda s: not s.startswith("-"))),
        ("--permission-mode", st.sampled_from(["plan", "default"]) | ARG_TEXT),
        (
            "--fallback-model",
            st.lists(st.sampled_from(MODEL_WORDS), max_size=4).map(",".join) | ARG_TEXT,
        ),
        ("--agent", agent_calls.map(json.dumps) | ARG_TEXT),
        ("--settings", settings_objects().map(json.dumps).filter(lambda s: s.startswith("{"))),
    ):
        if draw(st.booleans()):
            args += [f"{flag}={draw(strat)}"]
    if "flag" in files and not any(a.startswith("--settings=") for a in args):
        args.append("--settings=flag-settings.json")
    environ = {**draw(CLI_ENV), **draw(CLI_ENV)}  # secrets and other variables together
    assume(planted_secrets_are_distinct(files, environ, args))
    return files, environ, args


def run_case(
    tmp: Path, files: dict[str, bytes], extra_env: dict[str, str], args: list[str], command: str
) -> Any:
    home, cwd = tmp / "home", tmp / "work"
    paths = {
        "user": home / ".claude" / "settings.json",
        "project": cwd / ".claude" / "settings.json",
        "local": cwd / ".claude" / "settings.local.json",
        "managed": tmp / "managed.json",
        "flag": cwd / "flag-settings.json",
    }
    for p in paths.values():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.unlink(missing_ok=True)
    for where, data in files.items():
        paths[where].write_bytes(data)
    environ = base_env(home, {k: v for k, v in extra_env.items() if k != "CLAUDE_CONFIG_DIR"})
    full = [command, *args, "--managed-settings", str(paths["managed"])]
    if command == "resolve":
        full.insert(1, "--json")
    return run_cli(full, env=environ, cwd=cwd, timeout=60)


def check_run(run: Any) -> dict[str, Any] | None:
    assert run.code in (0, 2), run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    if run.code == 2:
        lines = run.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("claude-models: error: "), run.stderr
        assert run.stdout == ""
        return None
    return None if not run.stdout.startswith("{") else json.loads(run.stdout)


@pytest.mark.filterwarnings("ignore:Generating overly large repr")  # the strategy's own repr
@LARGE_CASES
@CLI
@given(cli_inputs())
def test_the_cli_never_tracebacks_and_keeps_the_contract(
    tmp_path_factory: pytest.TempPathFactory,
    case: tuple[dict[str, bytes], dict[str, str], list[str]],
) -> None:
    """Arbitrary bytes in every settings file, arbitrary env values and flag values: the CLI
    exits 0 with output satisfying the contract, or 2 with one line on stderr; never a
    traceback; and twice the same inputs print the same output."""
    files, extra_env, args = case
    tmp = tmp_path_factory.mktemp("fuzz")
    first = run_case(tmp, files, extra_env, args, "resolve")
    out = check_run(first)
    if first.code == 0:
        assert out is not None and contract_errors(out) == [], first.stdout
    second = run_case(tmp, files, extra_env, args, "resolve")
    assert (second.code, second.stdout) == (first.code, first.stdout)
    explain = run_case(tmp, files, extra_env, args, "explain")
    check_run(explain)
    assert explain.code == first.code


@LARGE_CASES
@CLI
@given(cli_inputs())
def test_planted_secrets_never_equal_another_generated_value(
    case: tuple[dict[str, bytes], dict[str, str], list[str]],
) -> None:
    """The fuzzer's own word list must not trip the leak check: every secret variable holds a
    planted secret, distinct from model words and from every other value of the case."""
    files, environ, args = case
    for name, value in environ.items():
        if name in SECRETS:
            assert value.startswith("sk-planted-"), (name, value)
            assert not any(value[-8:] in w for w in MODEL_WORDS)
    assert planted_secrets_are_distinct(files, environ, args)
