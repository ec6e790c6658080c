"""Bedrock system-defined inference profiles, discovered in the background (BEHAVIOUR.md 8b).

:func:`start` lists the profiles with boto3 (``bedrock`` ``list_inference_profiles``,
``typeEquals="SYSTEM_DEFINED"``, every page) through ``ANTHROPIC_BEDROCK_BASE_URL`` when set,
in a daemon thread; :func:`current` returns the listing once it has landed and ``None`` until
then, so resolution never waits: built-in ids are used meanwhile. Feed the result to
``Snapshot.inference_profiles`` (:func:`with_profiles`); the resolver matches each model by its
first-party id (the region's geo prefix wins, else the first match in listing order; an empty
listing keeps the built-in ids) and layers ``modelOverrides`` on top.

One listing per process and endpoint (memoized). A failed listing (no credentials, refused,
unreachable) is remembered as empty: the built-in ids stay, as in Claude Code; why it failed
is kept masked (:mod:`claude_models.masking`: a boto3 error may echo a URL's password or the
access key id of an ``Authorization`` header).

boto3 does not send the requests itself: a ``before-send`` hook hands each signed request to
:func:`~claude_models.live.clients.http_client`, so the listing has the same total deadline,
body cap and redirect rule as every other live request. The region is checked first
(``AWS_REGION='x@host/#'`` never reaches a host name).
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


def list_profiles(
    env: Mapping[str, str], *, timeout: float = 10.0, max_body: int | None = None
) -> tuple[str, ...]:
    """Every SYSTEM_DEFINED inference profile id, in listing order (blocking). Each request
    has a total deadline of ``timeout`` seconds and a body cap."""
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    from claude_models.live import clients

    region = providers.aws_region(env)
    names = " / ".join(v for v in (E.AWS_REGION, E.AWS_DEFAULT_REGION) if E.get(env, v))
    clients.check_value("aws", region, names or E.AWS_REGION)
    endpoint = clients.check_base_url(E.BEDROCK_BASE_URL, E.get(env, E.BEDROCK_BASE_URL))
    cap = max_body if max_body is not None else clients.max_body_of(env)
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
    client: Any = session.client("bedrock", endpoint_url=endpoint, config=config)
    http = clients.http_client(timeout, max_body=cap)
    client.meta.events.register("before-send.bedrock", _sender(http))
    found: list[str] = []
    try:
        for page in client.get_paginator("list_inference_profiles").paginate(
            typeEquals="SYSTEM_DEFINED"
        ):
            for item in page.get("inferenceProfileSummaries", []):
                pid = item.get("inferenceProfileId")
                if isinstance(pid, str) and pid:
                    found.append(pid)
    finally:
        http.close()
    return tuple(found)


def _sender(http: Any) -> Any:
    """A botocore ``before-send`` handler that sends the signed request with ``http`` (an
    ``httpx2.Client`` from :func:`clients.http_client`) and returns botocore's response."""
    from botocore.awsrequest import AWSResponse

    class _Raw:
        def __init__(self, content: bytes) -> None:
            self._content = content

        def stream(self, **_: Any) -> Any:
            yield self._content

    def send(request: Any, **_: Any) -> Any:
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        response = http.request(
            request.method,
            request.url,
            headers=list(request.headers.items()),
            content=body or None,
        )
        return AWSResponse(
            request.url, response.status_code, dict(response.headers), _Raw(response.content)
        )

    return send


def _discover(key: _Key, env: Mapping[str, str]) -> None:
    try:
        found = list_profiles(env)
    except Exception as exc:  # any failure keeps the built-in ids, as Claude Code does
        found = ()
        from claude_models import masking

        why = masking.one_line(f"{type(exc).__name__}: {_reason(exc)}", env, limit=200)
        with _lock:
            _errors[key] = why
    with _lock:
        _results[key] = found


def _reason(exc: BaseException) -> str:
    """A failure's own words; for the hardened client's faults, the cause's."""
    cur: BaseException | None = exc
    for _ in range(4):
        if cur is None:
            break
        if type(cur).__name__ in ("RedirectRefused", "BodyTooLarge", "ReadTimeout", "LiveError"):
            return str(cur)
        cur = cur.__cause__ or cur.__context__
    return str(exc)


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
