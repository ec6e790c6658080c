"""Build the registry data of each modelled Claude Code release from the release itself.

Usage::

    python tools/build_registry.py                      # every release, from reference/
    python tools/build_registry.py --check              # fail when _data/ is stale
    python tools/build_registry.py --release 2.1.333 --binary PATH   # add / refresh a release
    python tools/build_registry.py --release 2.1.333    # ... from the npm cache (installs it)
    python tools/build_registry.py --from-binaries      # re-read every release's binary

A release's facts come from its binary (``@anthropic-ai/claude-code@V``; the real executable
is the platform package's ``claude``, ``bin/claude.exe`` being a placeholder when installed with
``--ignore-scripts``): :mod:`claude_models.bundle` reads the embedded catalog and retirement
table as data (never runs the binary). The facts are kept in
``reference/claude-code-<V>-model-catalog.json`` (reviewable, diffable) and the registry data in
``src/claude_models/_data/claude-code-<V>.json`` (compact; the package reads only the modelled
release's file). A release whose behaviour changed also needs its rules in
``src/claude_models/releases.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from claude_models.bundle import BundleError, read_bundle  # noqa: E402
from claude_models.catalog import CatalogError, registry_data  # noqa: E402
from claude_models.registry import data_path, encode_data, release_files  # noqa: E402
from claude_models.releases import parse_version  # noqa: E402

REFERENCE = ROOT / "reference"
NPM_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "claude-models"
PLATFORM_BINARY = "node_modules/@anthropic-ai/claude-code-linux-x64/claude"


def reference_path(release: str) -> Path:
    return REFERENCE / f"claude-code-{release}-model-catalog.json"


def cached_binary(release: str) -> Path:
    return NPM_CACHE / "claude-code" / release / PLATFORM_BINARY


def npm_install(release: str) -> Path:
    """Install ``@anthropic-ai/claude-code@release`` into the cache (scripts off: nothing of
    the package runs) and return its binary."""
    prefix = NPM_CACHE / "claude-code" / release
    prefix.mkdir(parents=True, exist_ok=True)
    print(f"npm install @anthropic-ai/claude-code@{release} into {prefix}")
    subprocess.run(
        [
            "npm",
            "install",
            "--ignore-scripts",
            "--no-save",
            "--prefix",
            str(prefix),
            f"@anthropic-ai/claude-code@{release}",
        ],
        check=True,
        timeout=600,
    )
    return cached_binary(release)


def catalog_from_binary(release: str, binary: Path) -> dict[str, Any]:
    catalog = read_bundle(binary)
    note = (
        f"Facts read from the model catalog and retirement table embedded in Claude Code "
        f"{release} (npm @anthropic-ai/claude-code@{release}, bin/claude.exe) by "
        f"tools/build_registry.py. Model IDs, windows, capabilities, prices and dates are facts "
        f"to use; the layout is theirs, not a format we must copy."
    )
    return {"note": note, **catalog}


def write_release(
    release: str, catalog: dict[str, Any], *, check: bool, into: Path | None = None
) -> bool:
    """Write (or, with ``check``, compare) the release's data file. True when up to date."""
    text = encode_data(registry_data(catalog, release))
    out = into / data_path(release).name if into else data_path(release)
    rel = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    if check:
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            print(f"{rel} is stale: run python tools/build_registry.py")
            return False
        return True
    out.write_text(text, encoding="utf-8")
    print(f"wrote {rel}: {len(catalog['models'])} models, {len(text)} bytes")
    return True


def main(argv: list[str]) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="build_registry.py", description=__doc__.split("\n")[0])
    p.add_argument("--check", action="store_true", help="fail when the data files are stale")
    p.add_argument("--release", metavar="V", help="add or refresh one release")
    p.add_argument("--binary", metavar="PATH", help="the release's claude binary")
    p.add_argument(
        "--into",
        metavar="DIR",
        help="with --release: write both files into DIR instead of the tree (to preview)",
    )
    p.add_argument(
        "--from-binaries",
        action="store_true",
        help="re-read every modelled release's binary from the npm cache",
    )
    args = p.parse_args(argv[1:])
    try:
        if args.release:
            parse_version(args.release)
            binary = Path(args.binary) if args.binary else cached_binary(args.release)
            if not binary.exists() and not args.binary:
                binary = npm_install(args.release)
            catalog = catalog_from_binary(args.release, binary)
            text = json.dumps(catalog, indent=1, ensure_ascii=False) + "\n"
            into = Path(args.into) if args.into else None
            ref = into / reference_path(args.release).name if into else reference_path(args.release)
            ref.write_text(text, encoding="utf-8")
            print(f"wrote {ref}")
            write_release(args.release, catalog, check=False, into=into)
            print(
                f"If Claude Code {args.release} changed behaviour, add its rules to "
                "src/claude_models/releases.py (RULES)."
            )
            return 0
        releases = sorted(
            (p.name.removeprefix("claude-code-").removesuffix("-model-catalog.json"))
            for p in REFERENCE.glob("claude-code-*-model-catalog.json")
        )
        releases.sort(key=parse_version)
        ok = True
        for release in releases:
            if args.from_binaries:
                catalog = catalog_from_binary(release, cached_binary(release))
                ref = json.loads(reference_path(release).read_text(encoding="utf-8"))
                ref.pop("note", None)
                if {k: v for k, v in catalog.items() if k != "note"} != ref:
                    print(f"{release}: the binary's catalog differs from {reference_path(release)}")
                    ok = False
                    continue
            else:
                catalog = json.loads(reference_path(release).read_text(encoding="utf-8"))
            ok = write_release(release, catalog, check=args.check) and ok
        stray = {p.name for p in release_files().values()} - {data_path(r).name for r in releases}
        if stray:
            print(f"data files without a reference catalog: {', '.join(sorted(stray))}")
            ok = False
        if args.check and ok:
            print(f"registry data of {', '.join(releases)} is up to date")
        return 0 if ok else 1
    except (BundleError, CatalogError, ValueError, OSError, subprocess.SubprocessError) as exc:
        print(f"build_registry: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
