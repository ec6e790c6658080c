"""Bedrock system-defined inference profiles, discovered in the background (BEHAVIOUR.md 8b).

:func:`start` lists the profiles with boto3 (``bedrock`` ``list_inference_profiles``,
``typeEquals="SYSTEM_DEFINED"``, every page) through ``ANTHROPIC_BEDROCK_BASE_URL`` when set,
in a daemon thread; :func:`current` returns the listing once it has landed and ``None`` until
then, so resolution never waits: built-in ids are used meanwhile. Feed the result to
``Snapshot.inference_profiles`` (:func:`with_profiles`); the resolver matches each model by its
first-party id (the region's geo prefix wins, else the first match in listing order; an empty
listing keeps the built-in ids) and layers ``modelOverrides`` on top.

One listing per process and endpoint (memoized). A failed listing (no credentials, refused,
unreachable) is remembered as empty: the built-in ids stay, as in Claude Code.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from claude_models import env as E
from claude_models import providers
from claude_models._record import replace
from claude_models.snapshot import Snapshot

_Key = tuple[str | None, str]
_lock = threading.Lock()
_results: dict[_Key, tuple[str, ...]] = {}
_errors: dict[_Key, str] = {}
_threads: dict[_Key, threading.Thread] = {}


def _key(env: Mapping[str, str]) -> _Key:
    return (E.get(env, E.BEDROCK_BASE_URL), providers.aws_region(env))


def list_profiles(env: Mapping[str, str], *, timeout: float = 10.0) -> tuple[str, ...]:
    """Every SYSTEM_DEFINED inference profile id, in listing order (blocking)."""
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    region = providers.aws_region(env)
    skip = E.is_truthy(env.get(E.SKIP_BEDROCK_AUTH))
    config = Config(
        connect_timeout=timeout,
        read_timeout=timeout,
        retries={"max_attempts": 1},
        signature_version=UNSIGNED if skip else None,
    )
    session = boto3.Session(
        aws_access_key_id=E.get(env, "AWS_ACCESS_KEY_ID"),
        aws_secret_access_key=E.get(env, "AWS_SECRET_ACCESS_KEY"),
        aws_session_token=E.get(env, "AWS_SESSION_TOKEN"),
        profile_name=None if E.get(env, "AWS_ACCESS_KEY_ID") else E.get(env, "AWS_PROFILE"),
        region_name=region,
    )
    client: Any = session.client(
        "bedrock", endpoint_url=E.get(env, E.BEDROCK_BASE_URL), config=config
    )
    found: list[str] = []
    for page in client.get_paginator("list_inference_profiles").paginate(
        typeEquals="SYSTEM_DEFINED"
    ):
        for item in page.get("inferenceProfileSummaries", []):
            pid = item.get("inferenceProfileId")
            if isinstance(pid, str) and pid:
                found.append(pid)
    return tuple(found)


def _discover(key: _Key, env: Mapping[str, str]) -> None:
    try:
        found = list_profiles(env)
    except Exception as exc:  # any failure keeps the built-in ids, as Claude Code does
        found = ()
        with _lock:
            _errors[key] = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    with _lock:
        _results[key] = found


def start(env: Mapping[str, str]) -> threading.Thread | None:
    """Start the listing in the background (once per process and endpoint); ``None`` when
    the provider is not Bedrock."""
    if providers.detect(env)[0] != "bedrock":
        return None
    key = _key(env)
    with _lock:
        thread = _threads.get(key)
        if thread is None:
            thread = threading.Thread(
                target=_discover, args=(key, dict(env)), name="bedrock-profiles", daemon=True
            )
            _threads[key] = thread
            thread.start()
    return thread


def current(env: Mapping[str, str]) -> tuple[str, ...] | None:
    """The listing if it has landed, else ``None`` (use the built-in ids)."""
    with _lock:
        return _results.get(_key(env))


def error(env: Mapping[str, str]) -> str | None:
    """Why the listing failed, if it did."""
    with _lock:
        return _errors.get(_key(env))


def wait(env: Mapping[str, str], timeout: float) -> tuple[str, ...] | None:
    """Give a started listing up to ``timeout`` seconds, then whatever has landed."""
    thread = start(env)
    if thread is not None:
        thread.join(timeout)
    return current(env)


def with_profiles(snapshot: Snapshot, profiles: tuple[str, ...] | None) -> Snapshot:
    """``snapshot`` with the discovered profiles (an empty listing changes nothing)."""
    if not profiles:
        return snapshot
    return replace(snapshot, inference_profiles=profiles)


def reset() -> None:
    """Forget every listing (tests)."""
    with _lock:
        _results.clear()
        _errors.clear()
        _threads.clear()
