"""The reader of Claude Code's embedded catalog: JavaScript object literals read as data.

The default run reads small synthetic bundles built here (minified-style JavaScript around the
two literals, binary noise before and after). The opt-in ``claude_binary`` tests read the real
binaries of 2.1.328-2.1.332 from the npm cache and compare them with the shared catalogs:
``pytest -m claude_binary``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from claude_models.bundle import BundleError, parse_literal, read_bundle, read_bytes
from claude_models.catalog import registry_data
from claude_models.registry import build_registry, registry
from claude_models.releases import RELEASES
from tests.clirun import base_env

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "reference"
NPM_CACHE = Path.home() / ".cache/claude-models/claude-code"
PLATFORM_BINARY = "node_modules/@anthropic-ai/claude-code-linux-x64/claude"

CATALOG_JS = (
    '{"//":"Hand-maintained baked-in model catalog \\u2014 the source of truth.",'
    "schema_version:1,pricing_tiers:{t:{input:3,output:15,cache_write_5m:3.75,"
    "cache_write_1h:6,cache_read:0.3,long_prompt:{above_prompt_tokens:1e5,input:.5}}},"
    'models:[{id:"claude-x-1",family:"sonnet",display_name:"X \\"1\\"",'
    'provider_ids:{first_party:"claude-x-1-20260101",bedrock:"us.anthropic.claude-x-1-v1:0",'
    'vertex:"claude-x-1@20260101",foundry:"claude-x-1",anthropic_aws:void 0,'
    'anthropic_google_cloud:null,mantle:null,gateway:"claude-x-1"},'
    "context:{window:1000000,native_1m:!0,supports_1m_beta:!1},"
    'max_output_tokens:{default:64000,upper:128000},pricing:"t",'
    'capabilities:["effort","adaptive_thinking"],default_effort:"medium",'
    "fallback_3p:void 0,eager_input_streaming:{vertex:!0},ranks:[1,void 0,-2]}],"
    'aliases:{sonnet:{default:"claude-x-1",per_provider:{vertex:"claude-x-1"}}},'
    'defaults:{},best:"sonnet",latest_per_family:{sonnet:"claude-x-1"},alias_migration:{}}'
)
RETIREMENTS_JS = (
    '{"claude-x-1":{modelName:"Claude X 1",retirementDates:{firstParty:"November 30, 2026",'
    'bedrock:null,vertex:"November 30, 2026",foundry:null,anthropicAws:null,'
    'anthropicGoogleCloud:null,mantle:null,gateway:null},remappedTo:"the latest Opus"}}'
)
EXPECTED_CATALOG: dict[str, Any] = {
    "schema_version": 1,
    "pricing_tiers": {
        "t": {
            "input": 3,
            "output": 15,
            "cache_write_5m": 3.75,
            "cache_write_1h": 6,
            "cache_read": 0.3,
            "long_prompt": {"above_prompt_tokens": 100000, "input": 0.5},
        }
    },
    "models": [
        {
            "id": "claude-x-1",
            "family": "sonnet",
            "display_name": 'X "1"',
            "provider_ids": {
                "first_party": "claude-x-1-20260101",
                "bedrock": "us.anthropic.claude-x-1-v1:0",
                "vertex": "claude-x-1@20260101",
                "foundry": "claude-x-1",
                "anthropic_google_cloud": None,
                "mantle": None,
                "gateway": "claude-x-1",
            },
            "context": {"window": 1000000, "native_1m": True, "supports_1m_beta": False},
            "max_output_tokens": {"default": 64000, "upper": 128000},
            "pricing": "t",
            "capabilities": ["effort", "adaptive_thinking"],
            "default_effort": "medium",
            "eager_input_streaming": {"vertex": True},
            "ranks": [1, None, -2],
        }
    ],
    "aliases": {"sonnet": {"default": "claude-x-1", "per_provider": {"vertex": "claude-x-1"}}},
    "defaults": {},
    "best": "sonnet",
    "latest_per_family": {"sonnet": "claude-x-1"},
    "alias_migration": {},
    "deprecations": {
        "claude-x-1": {
            "modelName": "Claude X 1",
            "retirementDates": {
                "firstParty": "November 30, 2026",
                "bedrock": None,
                "vertex": "November 30, 2026",
                "foundry": None,
                "anthropicAws": None,
                "anthropicGoogleCloud": None,
                "mantle": None,
                "gateway": None,
            },
            "remappedTo": "the latest Opus",
        }
    },
}


def bundle(catalog: str = CATALOG_JS, retirements: str = RETIREMENTS_JS) -> bytes:
    """A small stand-in for a Bun executable: binary noise, minified code, the two literals."""
    noise = bytes(range(256)) * 4
    code = (
        "function Tle(e){return process.env[e]}var b6s=" + catalog + ";function m(){return b6s}"
        'var x={"modelName":1},DH=86400000,MA=' + retirements + ";function Hi(e){return MA[e]}"
    )
    return noise + b"\x00ELF-ish\x00" + code.encode() + b"\x00" + noise


def test_reads_a_synthetic_bundle_as_data(tmp_path: Path) -> None:
    path = tmp_path / "claude"
    path.write_bytes(bundle())
    assert read_bundle(path) == EXPECTED_CATALOG


def test_the_registry_of_a_synthetic_bundle() -> None:
    reg = build_registry(registry_data(read_bytes(bundle(), "<test>"), "9.9.9"))
    model = reg.get("claude-x-1")
    assert reg.release == "9.9.9"
    assert (model.context_window, model.native_1m, model.default_effort) == (
        1000000,
        True,
        "medium",
    )
    assert reg.find("us.anthropic.claude-x-1-v1:0") is model
    assert reg.deprecation_for("claude-x-1") is not None


@pytest.mark.parametrize(
    ("js", "value"),
    [
        ("{a:!0,b:!1,c:void 0}", {"a": True, "b": False}),
        ("[void 0,null,true,false]", [None, None, True, False]),
        ('{"quoted key":1,$x_1:2,3:4}', {"quoted key": 1, "$x_1": 2, "3": 4}),
        (
            "{a:1e5,b:.25,c:-3,d:2.50,e:0x1F,f:1e-3}",
            {"a": 100000, "b": 0.25, "c": -3, "d": 2.5, "e": 31, "f": 0.001},
        ),
        (
            "{s:\"\\u2014\\x41\\n\\\"\\\\\",t:'it\\'s',u:`plain`}",
            {"s": '—A\n"\\', "t": "it's", "u": "plain"},
        ),
        ('{e:"\\ud83d\\ude00",f:"\\u{1F600}"}', {"e": "😀", "f": "😀"}),
        ("{ a : [ 1 , 2 , ] , }", {"a": [1, 2]}),
        ("{a:{b:{c:[{}]}}}", {"a": {"b": {"c": [{}]}}}),
    ],
)
def test_literal_forms(js: str, value: Any) -> None:
    got, end = parse_literal(js + ";rest")
    assert got == value
    assert (js + ";rest")[end:] == ";rest"


@pytest.mark.parametrize(
    ("js", "why"),
    [
        ("{a:foo}", "identifier 'foo'"),
        ("{a:f()}", "identifier 'f'"),
        ("{[k]:1}", "where a key belongs"),
        ("{...x}", "where a key belongs"),
        ("{a:!2}", "'!' not followed"),
        ("{a:`x${y}`}", "template string"),
        ('{a:"open', "not terminated"),
        ("{a:1", "ends early"),
        ("{a:1 b:2}", "expected ','"),
        ("{a:void 1}", "'void' not followed by 0"),
        ("x", "not an object"),
        ("[" * 100 + "]" * 100, "nested too deep"),
    ],
)
def test_anything_but_data_is_refused(js: str, why: str) -> None:
    with pytest.raises(BundleError, match=why):
        parse_literal(js)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00" * 4096, "no embedded model catalog"),
        (bundle(retirements='{"claude-x":{nothing:1}}'), "no retirement table"),
        (
            bundle(catalog='{"//":"Hand-maintained baked-in model catalog",models:[{id:f()}]}'),
            "the embedded model catalog cannot be read",
        ),
        (
            bundle(catalog='{"//":"Hand-maintained baked-in model catalog",schema_version:1}'),
            "has no 'models' list",
        ),
    ],
)
def test_a_bundle_without_a_readable_catalog_fails_naming_the_file(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "claude"
    path.write_bytes(data)
    with pytest.raises(BundleError, match=message) as err:
        read_bundle(path)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_an_unreadable_or_empty_file_fails_naming_it(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    with pytest.raises(BundleError, match=f"{empty}: empty file"):
        read_bundle(empty)
    with pytest.raises(BundleError, match="cannot read"):
        read_bundle(tmp_path / "missing")


def test_the_tool_fails_loudly_in_one_line_on_a_bundle_without_a_catalog(
    tmp_path: Path,
) -> None:
    path = tmp_path / "claude"
    path.write_bytes(b"#!/bin/sh\necho 2.1.999\n" * 100)
    proc = subprocess.run(
        [sys.executable, "tools/build_registry.py", "--release", "2.1.999", "--binary", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1
    assert str(path) in proc.stderr and "no embedded model catalog" in proc.stderr
    assert not (ROOT / "src/claude_models/_data/claude-code-2.1.999.json").exists()


def test_every_release_ships_a_small_data_file() -> None:
    files = sorted((ROOT / "src/claude_models/_data").glob("claude-code-*.json"))
    assert [f.name for f in files] == [f"claude-code-{v}.json" for v in RELEASES]
    assert RELEASES == ("2.1.328", "2.1.329", "2.1.330", "2.1.331", "2.1.332")
    assert all(f.stat().st_size < 40_000 for f in files)


def test_only_the_modelled_release_is_read(tmp_path: Path) -> None:
    """A fresh process that resolves under 2.1.330 opens that release's file and no other."""
    code = (
        "import builtins, json, pathlib\n"
        "opened = []\n"
        "real = pathlib.Path.read_text\n"
        "def spy(self, *a, **k):\n"
        "    opened.append(self.name)\n"
        "    return real(self, *a, **k)\n"
        "pathlib.Path.read_text = spy\n"
        "from claude_models import Snapshot, resolve\n"
        "resolve(Snapshot.of(claude_version='2.1.330'))\n"
        "print(json.dumps([n for n in opened if n.startswith('claude-code-')]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=base_env(tmp_path),
    )
    assert json.loads(proc.stdout) == ["claude-code-2.1.330.json"]


def _binary(version: str) -> Path:
    return NPM_CACHE / version / PLATFORM_BINARY


@pytest.fixture(autouse=True)
def _binary_tests_opt_in(request: pytest.FixtureRequest) -> None:
    """The real binaries are read only when the run selects the marker."""
    if request.node.get_closest_marker("claude_binary") and "claude_binary" not in (
        request.config.getoption("markexpr", "") or ""
    ):
        pytest.skip("reads the real Claude Code binaries: select with -m claude_binary")


@pytest.mark.claude_binary
@pytest.mark.parametrize("version", RELEASES)
def test_the_binary_of_each_release_gives_the_shared_catalog(version: str) -> None:
    binary = _binary(version)
    if not binary.exists():
        pytest.skip(f"no Claude Code {version} binary at {binary}")
    shared = Path("/work/shared/reference") / f"claude-code-{version}-model-catalog.json"
    ref_path = shared if shared.exists() else REFERENCE / shared.name
    ref = json.loads(ref_path.read_text(encoding="utf-8"))
    ref.pop("note")
    assert read_bundle(binary) == ref
    # and the package's data of that release is what the binary gives
    built = build_registry(registry_data(read_bundle(binary), version))
    assert built == registry(version)


def test_adding_a_release_is_one_command(tmp_path: Path) -> None:
    """`build_registry.py --release V --binary PATH` writes the release's reference catalog and
    its data file (here previewed into a temporary folder), and the package can load it."""
    path = tmp_path / "claude"
    path.write_bytes(bundle())
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run(
        [
            sys.executable,
            "tools/build_registry.py",
            "--release",
            "2.1.999",
            "--binary",
            str(path),
            "--into",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    ref = json.loads((out / "claude-code-2.1.999-model-catalog.json").read_text())
    assert {k: v for k, v in ref.items() if k != "note"} == EXPECTED_CATALOG
    data = json.loads((out / "claude-code-2.1.999.json").read_text())
    assert build_registry(data).get("claude-x-1").display_name == 'X "1"'
    assert "add its rules to src/claude_models/releases.py" in proc.stdout
