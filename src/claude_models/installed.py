"""Which Claude Code release this machine runs, and which release claude-models models.

The loader edge calls :func:`choose` once per run: ``--claude-version V``, else
``CLAUDE_MODELS_CLAUDE_VERSION=V``, else the release of the ``claude`` found on the snapshot's
``PATH``, else the newest modelled release. Detection reads the version without running
``claude`` where the install layout tells it:

- npm (``npm install -g @anthropic-ai/claude-code``): ``PATH``'s ``claude`` is a symlink to
  ``.../node_modules/@anthropic-ai/claude-code/bin/claude.exe`` (``cli.js`` in older releases);
  the package's ``package.json`` names the version;
- the native installer: ``~/.local/bin/claude`` is a symlink to
  ``~/.local/share/claude/versions/<V>``, the release's own binary named by its version;

else it runs ``claude --version`` (prints ``2.1.332 (Claude Code)``) with a 2-second limit, in
its own process group, killed by PID when it hangs. Results are cached by the binary's path,
size and mtime in ``$XDG_CACHE_HOME/claude-models/installed.json`` (written atomically), so the
cold path stays a few ``stat`` calls. An installed release newer than any modelled one is
modelled with the newest rules and the catalog read from the installed binary (cached too).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from claude_models._record import replace
from claude_models.registry import Registry, build_registry
from claude_models.releases import NEWEST, OLDEST, RELEASES, ClaudeCode, parse_version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

ENV_VERSION: Final = "CLAUDE_MODELS_CLAUDE_VERSION"
TIMEOUT: Final = 2.0
NPM_PACKAGE: Final = "@anthropic-ai/claude-code"
# `claude --version`'s line (compiled on first use: most runs never ask the binary).
VERSION_LINE: Final = r"^\s*(\d+\.\d+\.\d+)\s+\(Claude Code\)\s*$"
CACHE_FORMAT: Final = 1
# a placeholder bin/claude.exe (npm --ignore-scripts) is ~500 bytes; a real binary ~400 MB
MIN_BINARY: Final = 1 << 20


class ReleaseError(ValueError):
    """An unusable ``--claude-version`` / ``CLAUDE_MODELS_CLAUDE_VERSION`` (exit 2)."""


def cache_dir(env: Mapping[str, str]) -> Path | None:
    """``$XDG_CACHE_HOME/claude-models``, else ``$HOME/.cache/claude-models`` (from the
    snapshot's env, so tests point it at a temporary directory); None without either."""
    base = env.get("XDG_CACHE_HOME", "").strip()
    if base:
        return Path(base) / "claude-models"
    home = env.get("HOME", "").strip()
    return Path(home) / ".cache" / "claude-models" if home else None


def _load_cache(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return {}
    return data


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: a reader never sees a
    half-written cache. A cache that cannot be written is silently skipped (it is a cache)."""
    import tempfile  # only when a cache is written: the warm path never imports it

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            Path(tmp).replace(path)
        except BaseException:
            try:
                Path(tmp).unlink()
            except OSError:
                pass
            raise
    except OSError:
        return


def find_claude(env: Mapping[str, str]) -> Path | None:
    """The ``claude`` the user's shell would run: the first on the snapshot's ``PATH``."""
    # shutil.which, without importing shutil on every run
    for folder in env.get("PATH", "").split(os.pathsep):
        if not folder:
            continue
        candidate = Path(folder) / "claude"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def link_chain(path: Path, limit: int = 20) -> list[Path]:
    """``path`` and every path its symlinks lead through, the last one real."""
    out = [path]
    current = path
    for _ in range(limit):
        try:
            target = current.readlink()
        except OSError:
            break
        current = target if target.is_absolute() else current.parent / target
        out.append(current)
    return out


def version_from_layout(found: Path) -> str | None:
    """The version the install layout names, without running anything."""
    # native installer: ~/.local/bin/claude -> ~/.local/share/claude/versions/<V> (any hop)
    for hop in link_chain(found):
        if hop.parent.name == "versions":
            try:
                parse_version(hop.name)
                return hop.name
            except ValueError:
                pass
    real = found.resolve()
    # npm: <prefix>/node_modules/@anthropic-ai/claude-code/{bin/claude.exe,cli.js}
    for folder in (real.parent, real.parent.parent):
        manifest = folder / "package.json"
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("name") == NPM_PACKAGE:
            version = data.get("version")
            if isinstance(version, str):
                try:
                    parse_version(version)
                    return version
                except ValueError:
                    pass
    return None


def version_from_run(
    path: Path, env: Mapping[str, str], timeout: float = TIMEOUT
) -> tuple[str | None, str | None]:
    """Run ``claude --version`` (2 s limit, own process group, killed by PID on timeout) with
    the snapshot's HOME and nothing else of its environment (no key reaches it).
    Returns ``(version, None)`` or ``(None, why it was ignored)``."""
    child_env = {"PATH": os.defpath, "NO_COLOR": "1", "DISABLE_AUTOUPDATER": "1"}
    if env.get("HOME"):
        child_env["HOME"] = env["HOME"]
    import signal
    import subprocess

    try:
        proc = subprocess.Popen(
            [str(path), "--version"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: a hang takes its children along
            env=child_env,
        )
    except OSError as exc:
        return None, f"cannot run it ({exc.strerror or exc})"
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the group we created, by its leader's PID
        except (ProcessLookupError, PermissionError):
            pass
        proc.communicate()
        return None, f"'claude --version' did not answer within {timeout:g} s"
    text = out[:4096].decode("utf-8", "replace")
    m = re.search(VERSION_LINE, text, re.MULTILINE)
    if m is None:
        return None, "'claude --version' does not print a Claude Code version"
    return m.group(1), None


def _key(real: Path) -> str | None:
    try:
        st = real.stat()
    except OSError:
        return None
    return f"{real}|{st.st_size}|{st.st_mtime_ns}"


def detect(env: Mapping[str, str]) -> tuple[str | None, Path | None, str | None]:
    """``(version, path, problem)`` of the ``claude`` on the snapshot's PATH. ``problem`` is a
    sentence when a ``claude`` was found but its version could not be told."""
    found = find_claude(env)
    if found is None:
        return None, None, None
    try:
        real = found.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, found, f"{found}: a broken link"
    key = _key(real)
    folder = cache_dir(env)
    cache_file = folder / "installed.json" if folder else None
    cache = _load_cache(cache_file)
    entries: dict[str, Any] = cache.get("binaries", {}) if isinstance(cache, dict) else {}
    hit = entries.get(key) if key else None
    if isinstance(hit, dict) and "version" in hit:
        version, problem = hit.get("version"), hit.get("problem")
        return (version if isinstance(version, str) else None), found, problem
    version = version_from_layout(found)
    problem = None
    if version is None:
        if not os.access(real, os.X_OK) or not real.is_file():
            problem = "not an executable file"
        else:
            version, problem = version_from_run(real, env)
        if problem is not None:
            problem = f"{found}: {problem}; ignored"
    hung = problem is not None and "did not answer" in problem
    if key and cache_file is not None and not hung:  # a hang may answer next time
        entries = {k: v for k, v in entries.items() if k.split("|")[0] != str(real)}
        entries[key] = {"version": version, "problem": problem}
        cache_out = {"format": CACHE_FORMAT, "binaries": entries}
        _write_atomic(cache_file, json.dumps(cache_out, indent=1) + "\n")
    return version, found, problem


def binary_candidates(real: Path) -> list[Path]:
    """Where the installed release's real binary is: the file PATH leads to, or (npm, with the
    placeholder ``bin/claude.exe``) the platform package's ``claude`` next to it."""
    out = [real]
    package = real.parent.parent
    for folder in (package / "node_modules" / "@anthropic-ai", package.parent):
        try:
            out += sorted(folder.glob("claude-code-*/claude"))
        except OSError:
            pass
    return out


def installed_registry(
    env: Mapping[str, str], real: Path, version: str
) -> tuple[Registry | None, str | None]:
    """The registry of an installed release newer than any modelled, read from its binary and
    cached by path, size and mtime. ``(None, warning naming the file)`` when it cannot be read."""
    import hashlib

    from claude_models.bundle import BundleError, read_bundle
    from claude_models.catalog import CatalogError, registry_data

    folder = cache_dir(env)
    problem = None
    for candidate in binary_candidates(real):
        key = _key(candidate)
        try:
            if candidate.stat().st_size < MIN_BINARY:
                continue
        except OSError:
            continue
        digest = hashlib.sha256((key or "").encode()).hexdigest()[:16]
        cached = folder / f"catalog-{version}-{digest}.json" if folder else None
        if cached is not None:
            try:
                return build_registry(json.loads(cached.read_text(encoding="utf-8"))), None
            except (OSError, ValueError, KeyError, TypeError):
                pass
        try:
            data = registry_data(read_bundle(candidate), version)
        except (BundleError, CatalogError) as exc:
            problem = str(exc)
            continue
        if cached is not None:
            _write_atomic(cached, json.dumps(data) + "\n")
        return build_registry(data), None
    where = problem or f"{real}: no Claude Code binary with a readable catalog"
    return None, where


def choose(env: Mapping[str, str], given: str | None = None) -> ClaudeCode:
    """The release to model, where that choice came from, and what was installed."""
    if given is not None or env.get(ENV_VERSION, "").strip():
        source = "--claude-version" if given is not None else ENV_VERSION
        raw = (given if given is not None else env[ENV_VERSION]).strip()
        if raw not in RELEASES:
            what = "is not a Claude Code version" if not _is_version(raw) else "is not modelled"
            raise ReleaseError(
                f"{source}: {raw!r} {what}; modelled releases: {', '.join(RELEASES)}"
            )
        version, path, problem = detect(env)
        notes = [problem] if problem else []
        if version is not None and version != raw:
            notes.append(
                f"modelling Claude Code {raw} ({source}) but the claude installed at {path} is "
                f"{version}: answers are for {raw}"
            )
        return ClaudeCode(
            version=raw,
            source=source,
            installed=version,
            installed_path=str(path) if path and version else None,
            notes=tuple(notes),
        )
    version, path, problem = detect(env)
    notes = [problem] if problem else []
    if version is None or path is None:
        return ClaudeCode(version=NEWEST, source="newest modelled", notes=tuple(notes))
    found = ClaudeCode(
        version=NEWEST, source="installed", installed=version, installed_path=str(path)
    )
    if version in RELEASES:
        return replace(found, version=version, notes=tuple(notes))
    if parse_version(version) < parse_version(OLDEST):
        notes.append(
            f"the installed Claude Code {version} is older than any modelled release; "
            f"modelling {OLDEST}, the oldest"
        )
        return replace(found, version=OLDEST, notes=tuple(notes))
    if parse_version(version) < parse_version(NEWEST):
        # between two modelled releases: the newest modelled one before it
        older = [r for r in RELEASES if parse_version(r) < parse_version(version)]
        notes.append(
            f"the installed Claude Code {version} is not a modelled release; modelling "
            f"{older[-1]}, the newest modelled before it"
        )
        return replace(found, version=older[-1], notes=tuple(notes))
    reg, why = installed_registry(env, path.resolve(), version)
    if reg is None:
        notes.append(
            f"the installed Claude Code {version} is newer than any modelled release and its "
            f"catalog cannot be read ({why}); modelling {NEWEST} with its bundled catalog"
        )
        return replace(found, notes=tuple(notes))
    notes.append(
        f"the installed Claude Code {version} is newer than any modelled release; using the "
        f"rules of {NEWEST} with the catalog read from the installed binary"
    )
    return replace(found, catalog="installed", registry=reg, notes=tuple(notes))


def _is_version(text: str) -> bool:
    try:
        parse_version(text)
    except ValueError:
        return False
    return True


__all__ = ["ENV_VERSION", "ReleaseError", "cache_dir", "choose", "detect", "find_claude"]
__all__ += ["installed_registry", "version_from_layout", "version_from_run"]
