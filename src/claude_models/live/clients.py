"""Thin builders over the anthropic SDK clients, and one request sent the way Claude Code sends it.

- :class:`Call` is one request as :func:`claude_models.resolve` shaped it: wire model id,
  ``max_tokens``, ``thinking``, ``output_config.effort``, betas, ``speed`` and the region.
- :func:`build_client` picks the SDK client of the provider (``Anthropic``, ``AnthropicBedrock``,
  ``AnthropicVertex``, ``AnthropicFoundry``, ``AnthropicBedrockMantle``, ``AnthropicAWS``,
  ``AnthropicGoogleCloud``), with endpoints and credentials read from the snapshot's
  environment as Claude Code reads them. Missing credentials raise :class:`LiveError` naming
  the variable to set.
- :func:`send` sends one :class:`Call` with no SDK retries (the chains in :mod:`.chain` retry
  the way Claude Code does) and returns a :class:`Reply`; it never raises for a reply or a
  network fault, so callers need no ``try``.

Every request is non-streaming (docs/decisions/live.md): the model, parameters and betas are
the same as Claude Code's streamed request, and the server's answer (200, 404, 403, 529) does
not depend on it. Betas go in the ``anthropic-beta`` header; the Bedrock client moves them into
the body's ``anthropic_beta``, as Claude Code does.

The SDK and boto3 are imported here only, inside functions: ``import claude_models`` and
``resolve`` never pay for them.
"""

from __future__ import annotations

import functools
import inspect
import json
import math
import re
import urllib.parse
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Final

from claude_models import env as E
from claude_models import masking
from claude_models._record import record, replace
from claude_models.errors import LiveError, ModelURLError
from claude_models.result import Request, SideQuery, Thinking

INSTALL_HINT: Final = "pip install 'claude-models[live]'"
NON_STREAMING_CAP: Final = 64000  # BEHAVIOUR.md 6: the non-streaming retry caps max_tokens
DEFAULT_TIMEOUT: Final = 600.0  # seconds; Claude Code's API_TIMEOUT_MS default
API_TIMEOUT_MS: Final = E.API_TIMEOUT_MS
# The longest timeout accepted: 2**31-1 ms (24.8 days), the longest a JavaScript timer (and so
# Claude Code) can wait; above it, Claude Code's timer would fire at once. Refused above.
MAX_TIMEOUT: Final = (2**31 - 1) / 1000
# Replies are read up to this many (decoded) bytes: 32 MiB is ~8x the largest Messages reply
# (500k output tokens of JSON); ``CLAUDE_MODELS_MAX_RESPONSE_BYTES`` moves it.
MAX_RESPONSE_BYTES_VAR: Final = "CLAUDE_MODELS_MAX_RESPONSE_BYTES"
DEFAULT_MAX_BODY: Final = 32 * 1024 * 1024
MAX_REDIRECTS: Final = 5  # same-origin redirects followed per request
# Retries: ``retry-after`` is honoured up to 60 s per retry (chain.backoff) and the waits of
# one model's retries add up to at most this many seconds; then the last error is returned,
# saying so.
MAX_RETRY_WAIT: Final = 120.0

# The variable that moves each provider's endpoint (named in every connection fault).
BASE_URL_VAR: Final[Mapping[str, str]] = {
    "firstParty": E.BASE_URL,
    "gateway": E.BASE_URL,
    "bedrock": E.BEDROCK_BASE_URL,
    "vertex": E.VERTEX_BASE_URL,
    "foundry": E.FOUNDRY_BASE_URL,
    "mantle": E.BEDROCK_MANTLE_BASE_URL,
    "anthropicAws": E.AWS_BASE_URL,
    "anthropicGoogleCloud": E.GOOGLE_CLOUD_BASE_URL,
}
# Providers whose model id is a URL path segment.
PATH_MODEL_PROVIDERS: Final = frozenset({"bedrock", "vertex"})
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


# -- the request -----------------------------------------------------------------------------


@record
class Call:
    """One request, exactly as resolved."""

    model: str
    max_tokens: int
    effort: str | None = None
    thinking: Thinking | None = None
    betas: tuple[str, ...] = ()
    speed: str | None = None
    region: str | None = None

    @classmethod
    def of(cls, req: Request) -> Call:
        return cls(
            req.model, req.max_tokens, req.effort, req.thinking, req.betas, req.speed, req.region
        )

    @classmethod
    def of_side(cls, side: SideQuery) -> Call:
        """Side queries: no thinking (BEHAVIOUR.md 4), the model's default max_tokens."""
        return cls(side.model, side.max_tokens, side.effort, None, (), None, side.region)

    def capped(self, limit: int = NON_STREAMING_CAP) -> Call:
        """The non-streaming retry's request: max_tokens capped, a thinking budget kept below."""
        tokens = min(self.max_tokens, limit)
        thinking = self.thinking
        if thinking and thinking.budget_tokens is not None and thinking.budget_tokens >= tokens:
            thinking = Thinking(thinking.type, tokens - 1)
        return replace(self, max_tokens=tokens, thinking=thinking)

    def body(self, prompt: str) -> dict[str, Any]:
        """The JSON body fields (before the provider moves ``model`` into the URL)."""
        out: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "messages": [{"role": "user", "content": [{"type": "text", "text": prompt}]}],
        }
        if self.thinking is not None:
            t: dict[str, Any] = {"type": self.thinking.type}
            if self.thinking.type == "enabled" and self.thinking.budget_tokens is not None:
                t["budget_tokens"] = self.thinking.budget_tokens
            out["thinking"] = t
        if self.effort is not None:
            out["output_config"] = {"effort": self.effort}
        if self.speed is not None:
            out["speed"] = self.speed
        return out


@record
class Reply:
    """What came back. ``status`` is the HTTP status, ``None`` when nothing came back
    (``kind`` then says why: ``connection``, ``dns``, ``timeout``, ``credentials``)."""

    status: int | None
    kind: str  # "ok" | "status" | "connection" | "dns" | "timeout" | "malformed" | "credentials"
    #          | "redirect" (cross-origin, refused) | "too_large" (over the body cap)
    text: str | None = None
    message: str | None = None  # the server's error message, or the fault's one line
    retry_after: float | None = None
    timeout_var: str | None = None  # the variable that set the deadline (kind "timeout")
    note: str | None = None  # said after the fault line (e.g. the retry wait cap was reached)
    # a 200's ``stop_reason`` and, for ``"refusal"``, its ``stop_details.category``
    stop_reason: str | None = None
    category: str | None = None

    @property
    def ok(self) -> bool:
        """A reply that stands: a 200 the safety classifier did not refuse."""
        return self.kind == "ok" and not self.safety_refused

    @property
    def safety_refused(self) -> bool:
        """A 200 with ``stop_reason: "refusal"``: the safety classifier stopped the answer
        (``Resolution.refusal_fallback`` says what follows), not an HTTP refusal."""
        return self.kind == "ok" and self.stop_reason == "refusal"

    @property
    def refused(self) -> bool:
        """404 or 403: the model is not there for this account (BEHAVIOUR.md 4 and 7)."""
        return self.status in (403, 404)


# -- model ids in URL paths ------------------------------------------------------------------


def check_model_for_url(provider: str, model: str) -> None:
    """Refuse a model id that would change the request path rather than name a model.

    Bedrock and Vertex put the id in the URL path; the SDK percent-encodes it. Refused: empty
    ids, ``.``/``..`` segments, control characters and whitespace (newline, NUL), ``?``, ``#``,
    ``%`` and ``\\``. A ``/`` is refused too, except inside a Bedrock ARN
    (``arn:aws:bedrock:…:application-inference-profile/abc``), which legitimately contains
    ``/`` and ``:`` and is sent encoded (``%2F``) as the SDK does. First party and Foundry send
    the id in the JSON body, where nothing can change the path.
    """
    if provider not in PATH_MODEL_PROVIDERS:
        return
    why = None
    arn = provider == "bedrock" and model.lower().startswith("arn:")
    if not model:
        why = "it is empty"
    elif _CONTROL.search(model):
        why = "it contains whitespace or a control character"
    elif any(c in model for c in "?#%\\"):
        why = "it contains one of ? # % \\"
    elif "/" in model and not arn:
        why = "it contains /"
    elif any(seg in (".", "..") for seg in model.split("/")):
        why = "it contains a . or .. path segment"
    if why:
        raise ModelURLError(
            f"{provider}: refusing model {model!r}: {why}, which would change the request URL; "
            "use the model id or inference profile ARN exactly as the provider lists it",
            model=model,
        )


def encoded_model(provider: str, model: str) -> str:
    """The model's path segment as the SDK encodes it (for messages and tests)."""
    if provider == "bedrock":
        return urllib.parse.quote(model, safe=":;")
    return urllib.parse.quote(model, safe=":@")


# -- settings the live layer reads (validated: one line naming the variable, never a traceback)


def _anthropic() -> Any:
    try:
        import anthropic
    except ImportError:
        raise LiveError(
            f"live requests need the anthropic SDK: {INSTALL_HINT}", provider=None
        ) from None
    return anthropic


def timeout_setting(
    env: Mapping[str, str], var: str, default: float, *, unit: float = 1.0
) -> float:
    """``var`` as a timeout in seconds (its value is in ``unit`` seconds: 0.001 for ms), else
    ``default``. Not a finite number > 0, or above :data:`MAX_TIMEOUT` (the longest Claude
    Code's timers can wait): :class:`LiveError` naming the variable and the fix."""
    raw = E.get(env, var)
    if raw is None:
        return default
    unit_name = "milliseconds" if unit == 0.001 else "seconds"
    try:
        value = float(raw) * unit
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise LiveError(
            f"{var}={masking.one_line(raw, limit=40)!r} is not a number of {unit_name} above 0; "
            f"set it to e.g. {default / unit:g} or unset it (default {default / unit:g})"
        )
    if value > MAX_TIMEOUT:
        raise LiveError(
            f"{var}={masking.one_line(raw, limit=40)!r} is longer than "
            f"{MAX_TIMEOUT / unit:g} {unit_name} (24.8 days, the longest a timer can wait); "
            f"set a smaller value or unset it (default {default / unit:g})"
        )
    return value


def timeout_of(env: Mapping[str, str]) -> float:
    """``API_TIMEOUT_MS`` as Claude Code reads it (milliseconds), else 600 s."""
    return timeout_setting(env, API_TIMEOUT_MS, DEFAULT_TIMEOUT, unit=0.001)


def max_body_of(env: Mapping[str, str]) -> int:
    """The response-body cap: ``CLAUDE_MODELS_MAX_RESPONSE_BYTES``, else 32 MiB."""
    raw = E.get(env, MAX_RESPONSE_BYTES_VAR)
    if raw is None:
        return DEFAULT_MAX_BODY
    if not raw.isdigit() or int(raw) <= 0:
        raise LiveError(
            f"{MAX_RESPONSE_BYTES_VAR}={masking.one_line(raw, limit=40)!r} is not a whole "
            f"number of bytes above 0; unset it (default {DEFAULT_MAX_BODY})"
        )
    return int(raw)


def check_base_url(var: str, raw: str | None) -> str | None:
    """A base URL the SDK can use (``http(s)://host[:port][/path]``), or :class:`LiveError`
    naming the variable; shown without userinfo."""
    if raw is None:
        return None
    shown = masking.url(raw)

    def bad(why: str) -> LiveError:
        return LiveError(
            f"{var}={shown!r} {why}; set it to http(s)://host[:port][/path] or unset it"
        )

    if _CONTROL.search(raw):
        raise bad("contains whitespace or a control character")
    try:
        parts = urllib.parse.urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise bad(f"is not a valid URL ({masking.one_line(str(exc), limit=60)})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise bad("has no http:// or https:// scheme")
    if not parts.hostname:
        raise bad("has no host")
    if port == 0:
        raise bad("has port 0")
    return raw


# Values that go into a host name or a URL path, per kind (docs/decisions/livesec.md).
_PATTERNS: Final[Mapping[str, re.Pattern[str]]] = {
    # us-east-1, us-gov-west-1, us-isob-east-1, cn-north-1, eu-central-2, ap-southeast-4
    "aws": re.compile(r"^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$"),
    # us-east5, europe-west1, northamerica-northeast1, global, us, eu
    "gcp": re.compile(r"^(?:[a-z]+-[a-z]+\d{1,2}|global|us|eu)$"),
    # an Azure resource name: letters, digits, hyphens, 2-64
    "azure": re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,62}[A-Za-z0-9]$"),
    # a project / workspace id: no separators that could move a URL
    "id": re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"),
}
_EXAMPLES: Final = {
    "aws": "us-east-1",
    "gcp": "us-east5",
    "azure": "my-resource",
    "id": "my-project-123",
}
_AWS_REGION_VARS: Final = (E.AWS_REGION, E.AWS_DEFAULT_REGION, E.SMALL_FAST_MODEL_AWS_REGION)


def check_value(kind: str, value: str, names: str) -> str:
    """``value`` when it matches ``kind``'s pattern, else :class:`LiveError` naming
    ``names`` (the variable(s) it came from)."""
    if _PATTERNS[kind].match(value):
        return value
    raise LiveError(
        f"{names}={masking.one_line(value, limit=60)!r} is not a valid "
        f"{'region' if kind in ('aws', 'gcp') else 'name'} (it goes into the request's host "
        f"or path); set it to a value like {_EXAMPLES[kind]}"
    )


def _region_vars(env: Mapping[str, str], value: str, candidates: tuple[str, ...]) -> str:
    """The variable(s) holding ``value`` (for the error), else the candidates."""
    held = [v for v in candidates if E.get(env, v) == value]
    held += [
        k
        for k in env
        if k.startswith("VERTEX_REGION_") and k not in held and E.get(env, k) == value
    ]
    return " / ".join(held or candidates)


def check_region(provider: str, env: Mapping[str, str], region: str) -> str:
    if provider in ("vertex", "anthropicGoogleCloud"):
        names = (E.CLOUD_ML_REGION,) if provider == "vertex" else (E.GOOGLE_CLOUD_LOCATION,)
        return check_value("gcp", region, _region_vars(env, region, names))
    return check_value("aws", region, _region_vars(env, region, _AWS_REGION_VARS))


def _missing(provider: str, model: str, fix: str) -> LiveError:
    return LiveError(
        f"{provider}: no credentials to call {model}: {fix}", provider=provider, model=model
    )


def _aws_credentials_present(env: Mapping[str, str], region: str) -> bool:
    if E.get(env, "AWS_ACCESS_KEY_ID") and E.get(env, "AWS_SECRET_ACCESS_KEY"):
        return True
    try:
        import boto3
    except ImportError:
        return False
    profile = E.get(env, "AWS_PROFILE")
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
        return session.get_credentials() is not None
    except Exception:  # a broken profile is "no credentials"
        return False


# -- the hardened HTTP client: total deadline, body cap, no cross-origin redirects ----------


class RedirectRefused(Exception):  # noqa: N818 - reads as what happened
    """A redirect to another origin: not followed, so credentials stay where they were sent."""

    def __init__(self, origin: str) -> None:
        super().__init__(f"redirect to another origin ({origin}) refused")
        self.origin = origin


class BodyTooLarge(Exception):  # noqa: N818
    """The reply is longer than the body cap; reading stopped there."""

    def __init__(self, cap: int) -> None:
        super().__init__(f"reply longer than {cap} bytes")
        self.cap = cap


class DeadlineExceeded(Exception):  # noqa: N818
    """The request's total deadline passed (a reply trickling in defeats read timeouts)."""


def origin_of(raw: Any) -> str:
    """``scheme://host[:port]`` of a URL, never its userinfo."""
    parts = urllib.parse.urlsplit(str(raw))
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def _same_origin(a: Any, b: Any) -> bool:
    return bool(
        a.scheme == b.scheme and a.host == b.host and (a.port or a.scheme) == (b.port or b.scheme)
    )


@functools.cache
def _machinery() -> Any:
    """The httpx2/httpcore2 classes, built on first use (heavy imports stay lazy)."""
    import contextvars
    import time
    import types
    import zlib

    import httpcore2
    import httpx2

    deadline_var: contextvars.ContextVar[float | None] = contextvars.ContextVar(
        "claude_models_deadline", default=None
    )

    def bounded(timeout: float | None, exc: type[Exception]) -> float | None:
        deadline = deadline_var.get()
        if deadline is None:
            return timeout
        left = deadline - time.monotonic()
        if left <= 0:
            raise exc("the request's total deadline passed")
        return left if timeout is None else min(timeout, left)

    class Stream:
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            data: bytes = self._inner.read(max_bytes, bounded(timeout, httpcore2.ReadTimeout))
            return data

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._inner.write(buffer, bounded(timeout, httpcore2.WriteTimeout))

        def close(self) -> None:
            self._inner.close()

        def start_tls(self, *args: Any, **kwargs: Any) -> Stream:
            return Stream(self._inner.start_tls(*args, **kwargs))

        def get_extra_info(self, info: str) -> Any:
            return self._inner.get_extra_info(info)

    class AsyncStream:
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            wait = bounded(timeout, httpcore2.ReadTimeout)
            data: bytes = await self._inner.read(max_bytes, wait)
            return data

        async def write(self, buffer: bytes, timeout: float | None = None) -> None:
            await self._inner.write(buffer, bounded(timeout, httpcore2.WriteTimeout))

        async def aclose(self) -> None:
            await self._inner.aclose()

        async def start_tls(self, *args: Any, **kwargs: Any) -> AsyncStream:
            return AsyncStream(await self._inner.start_tls(*args, **kwargs))

        def get_extra_info(self, info: str) -> Any:
            return self._inner.get_extra_info(info)

    class Backend:
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def connect_tcp(self, host: str, port: int, timeout: float | None = None, **kw: Any) -> Any:
            wait = bounded(timeout, httpcore2.ConnectTimeout)
            return Stream(self._inner.connect_tcp(host, port, wait, **kw))

        def connect_unix_socket(self, path: str, timeout: float | None = None, **kw: Any) -> Any:
            wait = bounded(timeout, httpcore2.ConnectTimeout)
            return Stream(self._inner.connect_unix_socket(path, wait, **kw))

        def sleep(self, seconds: float) -> None:
            self._inner.sleep(seconds)

    class AsyncBackend:
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        async def connect_tcp(
            self, host: str, port: int, timeout: float | None = None, **kw: Any
        ) -> Any:
            wait = bounded(timeout, httpcore2.ConnectTimeout)
            return AsyncStream(await self._inner.connect_tcp(host, port, wait, **kw))

        async def connect_unix_socket(
            self, path: str, timeout: float | None = None, **kw: Any
        ) -> Any:
            wait = bounded(timeout, httpcore2.ConnectTimeout)
            return AsyncStream(await self._inner.connect_unix_socket(path, wait, **kw))

        async def sleep(self, seconds: float) -> None:
            await self._inner.sleep(seconds)

    def decoder_for(encoding: str) -> Any:
        if encoding in ("", "identity"):
            return None
        if encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            return zlib.decompressobj()
        raise httpx2.DecodingError(f"unsupported content-encoding {encoding!r}")

    class Counter:
        """Counts (decoded) bytes against the cap and checks the deadline per chunk."""

        def __init__(self, deadline: float, cap: int, encoding: str) -> None:
            self.deadline, self.cap, self.seen = deadline, cap, 0
            self.decoder = decoder_for(encoding)

        def take(self, chunk: bytes) -> bytes:
            if time.monotonic() > self.deadline:
                raise httpx2.ReadTimeout("the request's total deadline passed")
            if self.decoder is not None:
                chunk = self.decoder.decompress(chunk, self.cap - self.seen + 1)
            self.seen += len(chunk)
            if self.seen > self.cap:
                raise BodyTooLarge(self.cap)
            return chunk

    class Body(httpx2.SyncByteStream):
        def __init__(self, inner: Any, counter: Counter, deadline: float) -> None:
            self._inner, self._counter, self._deadline = inner, counter, deadline

        def __iter__(self) -> Any:
            it = iter(self._inner)
            while True:
                token = deadline_var.set(self._deadline)
                try:
                    chunk = next(it)
                except StopIteration:
                    return
                finally:
                    deadline_var.reset(token)
                yield self._counter.take(chunk)

        def close(self) -> None:
            self._inner.close()

    class AsyncBody(httpx2.AsyncByteStream):
        def __init__(self, inner: Any, counter: Counter, deadline: float) -> None:
            self._inner, self._counter, self._deadline = inner, counter, deadline

        async def __aiter__(self) -> Any:
            it = self._inner.__aiter__()
            while True:
                token = deadline_var.set(self._deadline)
                try:
                    chunk = await it.__anext__()
                except StopAsyncIteration:
                    return
                finally:
                    deadline_var.reset(token)
                yield self._counter.take(chunk)

        async def aclose(self) -> None:
            await self._inner.aclose()

    def prepare(request: Any) -> None:
        # Ask for an unencoded reply: the cap then bounds what is held (gzip/deflate replies
        # are still accepted and decoded under the cap).
        request.headers["accept-encoding"] = "identity"

    def wrap(response: Any, deadline: float, cap: int, body_cls: Any) -> Any:
        length = response.headers.get("content-length")
        if length and length.isdigit() and int(length) > cap:
            response.close() if body_cls is Body else None
            raise BodyTooLarge(cap)
        encoding = response.headers.get("content-encoding", "").strip().lower()
        counter = Counter(deadline, cap, encoding)
        headers = [
            (k, v)
            for k, v in response.headers.multi_items()
            if not (
                counter.decoder is not None and k.lower() in ("content-encoding", "content-length")
            )
        ]
        return httpx2.Response(
            status_code=response.status_code,
            headers=headers,
            stream=body_cls(response.stream, counter, deadline),
            extensions=response.extensions,
        )

    class Guard(httpx2.BaseTransport):
        def __init__(self, inner: Any, seconds: float, cap: int) -> None:
            self._inner, self._seconds, self._cap = inner, seconds, cap
            pool = getattr(inner, "_pool", None)
            if pool is not None and hasattr(pool, "_network_backend"):
                pool._network_backend = Backend(pool._network_backend)

        def handle_request(self, request: Any) -> Any:
            prepare(request)
            deadline = time.monotonic() + self._seconds
            token = deadline_var.set(deadline)
            try:
                response = self._inner.handle_request(request)
            finally:
                deadline_var.reset(token)
            try:
                return wrap(response, deadline, self._cap, Body)
            except BaseException:
                response.close()
                raise

        def close(self) -> None:
            self._inner.close()

    class AsyncGuard(httpx2.AsyncBaseTransport):
        def __init__(self, inner: Any, seconds: float, cap: int) -> None:
            self._inner, self._seconds, self._cap = inner, seconds, cap
            pool = getattr(inner, "_pool", None)
            if pool is not None and hasattr(pool, "_network_backend"):
                pool._network_backend = AsyncBackend(pool._network_backend)

        async def handle_async_request(self, request: Any) -> Any:
            prepare(request)
            deadline = time.monotonic() + self._seconds
            token = deadline_var.set(deadline)
            try:
                response = await self._inner.handle_async_request(request)
            finally:
                deadline_var.reset(token)
            try:
                return wrap(response, deadline, self._cap, AsyncBody)
            except BaseException:
                await response.aclose()
                raise

        async def aclose(self) -> None:
            await self._inner.aclose()

    def refuse_cross_origin(response: Any) -> None:
        if not response.has_redirect_location:
            return
        target = response.request.url.join(response.headers["location"])
        if not _same_origin(response.request.url, target):
            raise RedirectRefused(origin_of(target))

    async def refuse_cross_origin_async(response: Any) -> None:
        refuse_cross_origin(response)

    return types.SimpleNamespace(
        httpx=httpx2,
        Guard=Guard,
        AsyncGuard=AsyncGuard,
        refuse=refuse_cross_origin,
        refuse_async=refuse_cross_origin_async,
    )


def _guard_mounts(client: Any, guard: Any, seconds: float, cap: int) -> Any:
    client._transport = guard(client._transport, seconds, cap)
    client._mounts = {
        pattern: None if t is None else guard(t, seconds, cap)
        for pattern, t in client._mounts.items()
    }
    return client


def http_client(timeout: float, *, max_body: int = DEFAULT_MAX_BODY) -> Any:
    """An ``httpx2.Client`` for the anthropic SDK (``http_client=``) or any request:

    - every request has a **total deadline** of ``timeout`` seconds (connect, send, headers and
      body together; a reply trickling in one byte at a time cannot outlast it);
    - at most ``max_body`` bytes of a reply are read (decoded), else :class:`BodyTooLarge`;
    - a redirect to **another origin** is never followed (:class:`RedirectRefused`), so no
      header (``x-api-key``, ``api-key``, ``x-goog-*``, SigV4, bearer) ever crosses origins;
      a same-origin redirect is followed (at most 5), as fetch does in Claude Code.

    The SDK wraps these errors in ``APIConnectionError``/``APITimeoutError``; :func:`send`
    (and :func:`fault_of` for other callers) turns them into one line.
    """
    m = _machinery()
    client = m.httpx.Client(
        timeout=timeout,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        event_hooks={"response": [m.refuse]},
    )
    return _guard_mounts(client, m.Guard, timeout, max_body)


def async_http_client(timeout: float, *, max_body: int = DEFAULT_MAX_BODY) -> Any:
    """The ``httpx2.AsyncClient`` twin of :func:`http_client` (same deadline, cap, redirects)."""
    m = _machinery()
    client = m.httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        event_hooks={"response": [m.refuse_async]},
    )
    return _guard_mounts(client, m.AsyncGuard, timeout, max_body)


# -- one builder per provider ----------------------------------------------------------------


@record
class Spec:
    """What every builder gets: the SDK module, the environment, the checked base URL, the
    model (for messages), the resolved region, and the common client arguments."""

    sdk: Any
    env: Mapping[str, str]
    base: str | None
    model: str
    region: str | None
    common: Mapping[str, Any]


def _aws_region(spec: Spec, provider: str) -> str:
    region = spec.region or E.get(spec.env, E.AWS_REGION) or "us-east-1"
    return check_region(provider, spec.env, region)


def _bedrock(spec: Spec) -> Any:
    sdk, env = spec.sdk, spec.env
    aws_region = _aws_region(spec, "bedrock")
    if E.is_truthy(env.get(E.SKIP_BEDROCK_AUTH)):
        return _unsigned(sdk.AnthropicBedrock)(
            aws_region=aws_region, base_url=spec.base, api_key=None, **spec.common
        )
    bearer = E.get(env, E.AWS_BEARER_TOKEN_BEDROCK)
    if bearer:
        return sdk.AnthropicBedrock(
            aws_region=aws_region, base_url=spec.base, api_key=bearer, **spec.common
        )
    if not _aws_credentials_present(env, aws_region):
        raise _missing(
            "bedrock",
            spec.model,
            "set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or "
            f"{E.AWS_BEARER_TOKEN_BEDROCK}, or {E.SKIP_BEDROCK_AUTH}=1 behind a proxy "
            "that signs requests",
        )
    return sdk.AnthropicBedrock(
        aws_region=aws_region,
        base_url=spec.base,
        aws_access_key=E.get(env, "AWS_ACCESS_KEY_ID"),
        aws_secret_key=E.get(env, "AWS_SECRET_ACCESS_KEY"),
        aws_session_token=E.get(env, "AWS_SESSION_TOKEN"),
        aws_profile=None if E.get(env, "AWS_ACCESS_KEY_ID") else E.get(env, "AWS_PROFILE"),
        **spec.common,
    )


def _vertex(spec: Spec) -> Any:
    sdk, env = spec.sdk, spec.env
    project_var = E.VERTEX_PROJECT_ID if E.get(env, E.VERTEX_PROJECT_ID) else "GOOGLE_CLOUD_PROJECT"
    project = E.get(env, project_var)
    if not project:
        raise LiveError(
            f"vertex: no project to call {spec.model} in: set {E.VERTEX_PROJECT_ID}",
            provider="vertex",
            model=spec.model,
        )
    check_value("id", project, project_var)
    region = check_region("vertex", env, spec.region or "us-east5")
    kwargs: dict[str, Any] = {"region": region, "project_id": project}
    if E.is_truthy(env.get(E.SKIP_VERTEX_AUTH)):
        return _unsigned(sdk.AnthropicVertex)(base_url=spec.base, **kwargs, **spec.common)
    try:
        import importlib

        importlib.import_module("google.auth")
    except ImportError:
        raise _missing(
            "vertex",
            spec.model,
            "install google-auth and run `gcloud auth application-default login` (or set "
            f"GOOGLE_APPLICATION_CREDENTIALS), or {E.SKIP_VERTEX_AUTH}=1 behind a proxy "
            "that authenticates",
        ) from None
    return sdk.AnthropicVertex(base_url=spec.base, **kwargs, **spec.common)


def _foundry(spec: Spec) -> Any:
    sdk, env = spec.sdk, spec.env
    resource = E.get(env, E.FOUNDRY_RESOURCE)
    if not spec.base and not resource:
        raise LiveError(
            f"foundry: no endpoint to call {spec.model}: set {E.FOUNDRY_BASE_URL} or "
            f"{E.FOUNDRY_RESOURCE}",
            provider="foundry",
            model=spec.model,
        )
    if not spec.base and resource:
        check_value("azure", resource, E.FOUNDRY_RESOURCE)
    where: dict[str, Any] = {"base_url": spec.base} if spec.base else {"resource": resource}
    if E.is_truthy(env.get(E.SKIP_FOUNDRY_AUTH)):
        return _foundry_unauthenticated(sdk.AnthropicFoundry)(
            api_key="unused", **where, **spec.common
        )
    key = E.get(env, E.FOUNDRY_API_KEY)
    if not key:
        raise _missing(
            "foundry",
            spec.model,
            f"set {E.FOUNDRY_API_KEY}, or {E.SKIP_FOUNDRY_AUTH}=1 behind a proxy that "
            "authenticates",
        )
    return sdk.AnthropicFoundry(api_key=key, **where, **spec.common)


def _mantle(spec: Spec) -> Any:
    env = spec.env
    skip = E.is_truthy(env.get(E.SKIP_MANTLE_AUTH))
    return spec.sdk.AnthropicBedrockMantle(
        aws_region=_aws_region(spec, "mantle"),
        base_url=spec.base,
        skip_auth=skip,
        api_key=None if skip else E.get(env, E.AWS_BEARER_TOKEN_BEDROCK),
        **spec.common,
    )


def _anthropic_aws(spec: Spec) -> Any:
    env = spec.env
    workspace = E.get(env, E.AWS_WORKSPACE_ID)
    if workspace:
        check_value("id", workspace, E.AWS_WORKSPACE_ID)
    region = check_region("anthropicAws", env, E.get(env, E.AWS_REGION) or "us-east-1")
    return spec.sdk.AnthropicAWS(
        base_url=spec.base,
        workspace_id=workspace,
        skip_auth=E.is_truthy(env.get(E.SKIP_ANTHROPIC_AWS_AUTH)),
        aws_region=region,
        **spec.common,
    )


def _anthropic_google_cloud(spec: Spec) -> Any:
    env = spec.env
    for var in (E.GOOGLE_CLOUD_PROJECT, E.GOOGLE_CLOUD_WORKSPACE_ID):
        value = E.get(env, var)
        if value:
            check_value("id", value, var)
    location = E.get(env, E.GOOGLE_CLOUD_LOCATION)
    if location:
        check_region("anthropicGoogleCloud", env, location)
    return spec.sdk.AnthropicGoogleCloud(
        base_url=spec.base,
        project=E.get(env, E.GOOGLE_CLOUD_PROJECT),
        location=location,
        workspace_id=E.get(env, E.GOOGLE_CLOUD_WORKSPACE_ID),
        skip_auth=E.is_truthy(env.get(E.SKIP_ANTHROPIC_GOOGLE_CLOUD_AUTH)),
        **spec.common,
    )


def _first_party(spec: Spec) -> Any:
    """First party and the gateway: the Messages API at ``ANTHROPIC_BASE_URL``.

    Both ``ANTHROPIC_API_KEY`` and ``ANTHROPIC_AUTH_TOKEN`` set: both are sent, as Claude Code
    sends them (``x-api-key`` and ``Authorization: Bearer``; it warns "Auth conflict"). The
    SDK refuses both in its constructor, so the token goes in as a header."""
    env = spec.env
    key = E.get(env, E.API_KEY)
    token = E.get(env, E.AUTH_TOKEN) or (None if key else E.get(env, E.OAUTH_TOKEN))
    if not key and not token:
        raise _missing(
            "firstParty",
            spec.model,
            f"set {E.API_KEY} (or {E.AUTH_TOKEN} for a gateway that takes a bearer token)",
        )
    headers: dict[str, str] = {}
    if key:
        headers["x-api-key"] = key  # Claude Code sends a key as ``x-api-key``
    if key and token:
        headers["authorization"] = f"Bearer {token}"
        token = None
    return spec.sdk.Anthropic(
        api_key=key,
        auth_token=token,
        base_url=spec.base,
        default_headers=headers or None,
        **spec.common,
    )


BUILDERS: Final[Mapping[str, Callable[[Spec], Any]]] = {
    "firstParty": _first_party,
    "gateway": _first_party,
    "bedrock": _bedrock,
    "vertex": _vertex,
    "foundry": _foundry,
    "mantle": _mantle,
    "anthropicAws": _anthropic_aws,
    "anthropicGoogleCloud": _anthropic_google_cloud,
}


def build_client(
    provider: str,
    env: Mapping[str, str],
    *,
    model: str,
    region: str | None,
    timeout: float,
    max_body: int | None = None,
    asynchronous: bool = False,
    http: Any = None,
) -> Any:
    """The SDK client for ``provider``, configured from ``env`` only (never the process's),
    over :func:`http_client` (total deadline ``timeout``, body cap, no cross-origin
    redirects). Bad endpoints, regions and names raise :class:`LiveError` naming the
    variable, before anything is sent. ``asynchronous``: the SDK's ``Async*`` twin over
    :func:`async_http_client`; ``http``: the caller's own httpx client instead
    (``claude_models.Client(http_client=...)``)."""
    sdk = _AsyncSDK(_anthropic()) if asynchronous else _anthropic()
    var = BASE_URL_VAR.get(provider, E.BASE_URL)
    base = check_base_url(var, E.get(env, var))
    cap = max_body if max_body is not None else max_body_of(env)
    ours = http is None
    if ours:
        http = (async_http_client if asynchronous else http_client)(timeout, max_body=cap)
    common: dict[str, Any] = {"max_retries": 0, "timeout": timeout, "http_client": http}

    def release() -> None:
        if ours and not asynchronous:
            common["http_client"].close()

    builder = BUILDERS.get(provider, _first_party)
    try:
        return builder(Spec(sdk, env, base, model, region, common))
    except (LiveError, ModelURLError):
        release()
        raise
    except (ValueError, TypeError) as exc:  # the SDK's own argument checks
        release()
        raise LiveError(
            f"{provider}: cannot build a client for {model}: "
            f"{masking.one_line(str(exc), env, limit=200)}; check {var} and the provider's "
            "variables",
            provider=provider,
            model=model,
        ) from None


class _AsyncSDK:
    """The anthropic module seen through its ``Async*`` client names (``AnthropicBedrock`` ->
    ``AsyncAnthropicBedrock``), so :func:`build_client` builds either with one code path."""

    def __init__(self, sdk: Any) -> None:
        self._sdk = sdk

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sdk, "Async" + name)


def _unsigned(cls: Any) -> Any:
    """``cls`` that sends requests unsigned (``CLAUDE_CODE_SKIP_*_AUTH``: a proxy signs)."""
    if inspect.iscoroutinefunction(cls._prepare_request):

        class AsyncUnsigned(cls):  # type: ignore[misc]
            async def _prepare_request(self, request: Any) -> None:
                return None

        AsyncUnsigned.__name__ = f"Unsigned{cls.__name__}"
        return AsyncUnsigned

    class Unsigned(cls):  # type: ignore[misc]
        def _prepare_request(self, request: Any) -> None:
            return None

    Unsigned.__name__ = f"Unsigned{cls.__name__}"
    return Unsigned


def _foundry_unauthenticated(cls: Any) -> Any:
    """Foundry with ``CLAUDE_CODE_SKIP_FOUNDRY_AUTH``: no ``api-key``/``Authorization`` header
    (the placeholder key satisfies the constructor and is never sent)."""

    if inspect.iscoroutinefunction(cls._prepare_options):

        class AsyncUnauthenticatedFoundry(cls):  # type: ignore[misc]
            async def _prepare_options(self, options: Any) -> Any:
                return await super(cls, self)._prepare_options(options)

        return AsyncUnauthenticatedFoundry

    class UnauthenticatedFoundry(cls):  # type: ignore[misc]
        def _prepare_options(self, options: Any) -> Any:
            return super(cls, self)._prepare_options(options)

    return UnauthenticatedFoundry


# -- sending ---------------------------------------------------------------------------------


def send(
    provider: str,
    env: Mapping[str, str],
    call: Call,
    prompt: str,
    *,
    timeout: float | None = None,
    timeout_var: str = API_TIMEOUT_MS,
) -> Reply:
    """Send ``call`` once (no SDK retries) within a total deadline of ``timeout`` seconds
    (default ``API_TIMEOUT_MS``; ``timeout_var`` names the variable that set it). Missing
    credentials and bad settings raise :class:`LiveError`; a model id that would change the
    URL raises :class:`ModelURLError`; everything the server or the network does comes back as
    a :class:`Reply`, its text and message masked (:mod:`claude_models.masking`)."""
    check_model_for_url(provider, call.model)
    wait = timeout if timeout is not None else timeout_of(env)
    client = build_client(provider, env, model=call.model, region=call.region, timeout=wait)
    sdk = _anthropic()
    body = call.body(prompt)
    headers = {"anthropic-beta": ",".join(call.betas)} if call.betas else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the SDK's deprecated-model notices
            raw = client.messages.with_raw_response.create(**body, extra_headers=headers)
        response = raw.http_response
    except sdk.APITimeoutError:
        return Reply(None, "timeout", message=f"no reply within {wait:g}s", timeout_var=timeout_var)
    except sdk.APIConnectionError as exc:
        return fault_of(exc, env, timeout=wait, timeout_var=timeout_var)
    except sdk.APIStatusError as exc:
        return Reply(
            exc.status_code,
            "status",
            message=_error_message(exc.response, env),
            retry_after=_retry_after(exc.response.headers),
        )
    finally:
        client.close()
    return _ok_reply(response, env)


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 8:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    return chain


def fault_of(
    exc: BaseException,
    env: Mapping[str, str],
    *,
    timeout: float | None = None,
    timeout_var: str = API_TIMEOUT_MS,
) -> Reply:
    """The :class:`Reply` for a request that raised ``exc`` (an SDK connection error, or an
    httpx2 error from :func:`http_client`): redirect refused, body too large, deadline,
    DNS, refused, other."""
    for cause in _causes(exc):
        if isinstance(cause, RedirectRefused):
            return Reply(None, "redirect", message=f"redirected to {cause.origin}")
        if isinstance(cause, BodyTooLarge):
            return Reply(None, "too_large", message=f"the reply is longer than {cause.cap} bytes")
    names = {type(c).__name__ for c in _causes(exc)}
    if "DecodingError" in names:
        return Reply(None, "malformed", message="the reply's content-encoding is not supported")
    if names & {"ReadTimeout", "WriteTimeout", "ConnectTimeout", "PoolTimeout", "TimeoutException"}:
        within = f"{timeout:g}s" if timeout is not None else "the deadline"
        return Reply(None, "timeout", message=f"no reply within {within}", timeout_var=timeout_var)
    return _connection_reply(exc)


def _connection_reply(exc: BaseException) -> Reply:
    detail = " ".join(str(c) for c in _causes(exc)).lower()
    dns_words = (
        "name or service not known",
        "nodename nor servname",
        "getaddrinfo",
        "name resolution",
    )
    if any(w in detail for w in dns_words):
        return Reply(None, "dns", message="the host name could not be resolved")
    if "refused" in detail:
        return Reply(None, "connection", message="connection refused")
    return Reply(None, "connection", message="connection failed")


def _ok_reply(response: Any, env: Mapping[str, str] | None = None) -> Reply:
    status = int(response.status_code)
    try:
        data = json.loads(response.text)
    except ValueError:
        return Reply(status, "malformed", message="the reply is not JSON")
    content = data.get("content") if isinstance(data, dict) else None
    if not isinstance(content, list):
        return Reply(status, "malformed", message="the reply is not a Messages API message")
    text = "".join(
        str(b.get("text", "")) for b in content if isinstance(b, dict) and b.get("type") == "text"
    )
    # A 200 reply's text is the server's too: a proxy may echo a key into it.
    stop, category = stop_of(data)
    return Reply(status, "ok", text=masking.mask(text, env), stop_reason=stop, category=category)


def safety_refusal_message(provider: str, model: str, category: str | None) -> str:
    """The one line for a reply the safety classifier refused with no fallback left (Claude
    Code: "API Error: <model>'s safeguards flagged this session ... Details: [category]")."""
    details = f", category {category}" if category else ""
    return (
        f"{provider}: {model}: API Error: the model's safeguards flagged this request "
        f'(stop_reason "refusal"{details}) and no refusal fallback is left · rephrase the '
        "request in a new session or pick another model with --model"
    )


def stop_of(message: Any) -> tuple[str | None, str | None]:
    """A Messages API reply's ``stop_reason`` and, for a refusal, its
    ``stop_details.category`` (a JSON dict or the SDK's ``Message``); ``None`` where absent."""

    def get(key: str) -> Any:
        if isinstance(message, dict):
            return message.get(key)
        return getattr(message, key, None)

    stop = get("stop_reason")
    details = get("stop_details")
    if details is not None and not isinstance(details, dict):
        details = {"category": getattr(details, "category", None)}
    category = details.get("category") if isinstance(details, dict) else None
    return (
        stop if isinstance(stop, str) else None,
        category if isinstance(category, str) else None,
    )


def _error_message(response: Any, env: Mapping[str, str] | None = None) -> str:
    """The server's own words: ``error.message`` (Anthropic), ``message``/``Message`` (AWS),
    masked first, then cut to one line."""
    text = str(getattr(response, "text", "") or "")
    try:
        data = json.loads(text)
    except ValueError:
        return _one_line(text, env) or f"HTTP {response.status_code}"
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict) and isinstance(err.get("message"), str):
            return _one_line(err["message"], env)
        for key in ("message", "Message"):
            if isinstance(data.get(key), str):
                return _one_line(data[key], env)
    return _one_line(text, env)


def _one_line(text: str, env: Mapping[str, str] | None = None, limit: int = 300) -> str:
    """Masked first, then cut (issue 12 item 5: a cut must never leave a secret's head)."""
    return masking.one_line(text, env, limit=limit)


def _retry_after(headers: Any) -> float | None:
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            value = float(raw) / scale
        except ValueError:
            continue
        if math.isfinite(value):
            return max(0.0, value)
    return None


def redact(text: str, env: Mapping[str, str]) -> str:
    """``text`` with every secret of ``env`` masked, whole or in part (:func:`masking.mask`)."""
    return masking.mask(text, env)


def retry_wait_exhausted(reply: Reply, waited: float, delay: float) -> Reply | None:
    """``reply`` with a note when waiting ``delay`` more seconds after ``waited`` would pass
    :data:`MAX_RETRY_WAIT`, else ``None`` (go on retrying)."""
    if waited + delay <= MAX_RETRY_WAIT:
        return None
    note = (
        f"gave up retrying: the next wait ({delay:g}s) would pass {MAX_RETRY_WAIT:g}s of "
        "waiting in total"
    )
    return replace(reply, note=note)


def endpoint_of(provider: str, env: Mapping[str, str]) -> str:
    """The endpoint, for messages: the base URL variable's value without any userinfo (with
    or without a scheme), query or fragment."""
    var = BASE_URL_VAR.get(provider, E.BASE_URL)
    raw = E.get(env, var)
    if not raw:
        return f"the {provider} default endpoint"
    return masking.url(raw)


def fault_line(provider: str, model: str, reply: Reply, env: Mapping[str, str]) -> str:
    """One line for a reply that is neither an answer nor a refusal: provider, model, fix."""
    line = _fault_line(provider, model, reply, env)
    if reply.note:
        line += f" ({reply.note})"
    return masking.one_line(line, env, limit=1000)


def _fault_line(provider: str, model: str, reply: Reply, env: Mapping[str, str]) -> str:
    var = BASE_URL_VAR.get(provider, E.BASE_URL)
    where = endpoint_of(provider, env)
    if reply.kind == "timeout":
        return (
            f"{provider}: {model}: {reply.message} from {where}; check {var} or raise "
            f"{reply.timeout_var or API_TIMEOUT_MS}"
        )
    if reply.kind == "redirect":
        return (
            f"{provider}: {model}: {where} {reply.message}, another origin: not followed, so "
            f"that credentials are never sent there; point {var} at the final endpoint"
        )
    if reply.kind == "too_large":
        return (
            f"{provider}: {model}: {reply.message} from {where}; reading stopped there (raise "
            f"{MAX_RESPONSE_BYTES_VAR} if the endpoint is right, else check {var})"
        )
    if reply.kind == "dns":
        return f"{provider}: {model}: cannot resolve the host of {where}; check {var}"
    if reply.kind == "connection":
        return f"{provider}: {model}: cannot connect to {where} ({reply.message}); check {var}"
    if reply.kind == "malformed":
        return (
            f"{provider}: {model}: malformed reply from {where} ({reply.message}); check that "
            f"{var} points at an Anthropic-compatible endpoint"
        )
    status = reply.status
    if status == 401:
        return (
            f"{provider}: {model}: API Error: 401 {reply.message} · the credentials were "
            "rejected; check the key or token"
        )
    if status is not None and status >= 500:
        return (
            f"{provider}: {model}: API Error: {status} {reply.message} · the server failed; "
            f"try again later or check {var}"
        )
    return f"{provider}: {model}: API Error: {status} {reply.message}"
