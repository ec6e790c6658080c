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

import inspect
import json
import re
import urllib.parse
import warnings
from collections.abc import Mapping
from typing import Any, Final

from claude_models import env as E
from claude_models._record import record, replace
from claude_models.errors import LiveError, ModelURLError
from claude_models.result import Request, SideQuery, Thinking

INSTALL_HINT: Final = "pip install 'claude-models[live]'"
NON_STREAMING_CAP: Final = 64000  # BEHAVIOUR.md 6: the non-streaming retry caps max_tokens
DEFAULT_TIMEOUT: Final = 600.0  # seconds; Claude Code's API_TIMEOUT_MS default
API_TIMEOUT_MS: Final = E.API_TIMEOUT_MS

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
    text: str | None = None
    message: str | None = None  # the server's error message, or the fault's one line
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.kind == "ok"

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


# -- clients ---------------------------------------------------------------------------------


def _anthropic() -> Any:
    try:
        import anthropic
    except ImportError:
        raise LiveError(
            f"live requests need the anthropic SDK: {INSTALL_HINT}", provider=None
        ) from None
    return anthropic


def timeout_of(env: Mapping[str, str]) -> float:
    """``API_TIMEOUT_MS`` as Claude Code reads it, else 600 s."""
    raw = E.get(env, API_TIMEOUT_MS)
    if raw and raw.isdigit() and int(raw) > 0:
        return int(raw) / 1000
    return DEFAULT_TIMEOUT


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


def build_client(
    provider: str,
    env: Mapping[str, str],
    *,
    model: str,
    region: str | None,
    timeout: float,
    asynchronous: bool = False,
    http_client: Any = None,
) -> Any:
    """The SDK client for ``provider``, configured from ``env`` only (never the process's).
    ``asynchronous``: the SDK's ``Async*`` twin of the same client; ``http_client``: the
    caller's own ``httpx`` client (``claude_models.Client(http_client=...)``)."""
    sdk = _AsyncSDK(_anthropic()) if asynchronous else _anthropic()
    base = E.get(env, BASE_URL_VAR.get(provider, E.BASE_URL))
    common: dict[str, Any] = {"max_retries": 0, "timeout": timeout}
    if http_client is not None:
        common["http_client"] = http_client
    if provider == "bedrock":
        aws_region = region or E.get(env, E.AWS_REGION) or "us-east-1"
        if E.is_truthy(env.get(E.SKIP_BEDROCK_AUTH)):
            return _unsigned(sdk.AnthropicBedrock)(
                aws_region=aws_region, base_url=base, api_key=None, **common
            )
        bearer = E.get(env, E.AWS_BEARER_TOKEN_BEDROCK)
        if bearer:
            return sdk.AnthropicBedrock(
                aws_region=aws_region, base_url=base, api_key=bearer, **common
            )
        if not _aws_credentials_present(env, aws_region):
            raise _missing(
                provider,
                model,
                "set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or "
                f"{E.AWS_BEARER_TOKEN_BEDROCK}, or {E.SKIP_BEDROCK_AUTH}=1 behind a proxy "
                "that signs requests",
            )
        return sdk.AnthropicBedrock(
            aws_region=aws_region,
            base_url=base,
            aws_access_key=E.get(env, "AWS_ACCESS_KEY_ID"),
            aws_secret_key=E.get(env, "AWS_SECRET_ACCESS_KEY"),
            aws_session_token=E.get(env, "AWS_SESSION_TOKEN"),
            aws_profile=None if E.get(env, "AWS_ACCESS_KEY_ID") else E.get(env, "AWS_PROFILE"),
            **common,
        )
    if provider == "vertex":
        project = E.get(env, E.VERTEX_PROJECT_ID) or E.get(env, "GOOGLE_CLOUD_PROJECT")
        if not project:
            raise LiveError(
                f"vertex: no project to call {model} in: set {E.VERTEX_PROJECT_ID}",
                provider=provider,
                model=model,
            )
        kwargs: dict[str, Any] = {"region": region or "us-east5", "project_id": project}
        if E.is_truthy(env.get(E.SKIP_VERTEX_AUTH)):
            return _unsigned(sdk.AnthropicVertex)(base_url=base, **kwargs, **common)
        try:
            import importlib

            importlib.import_module("google.auth")
        except ImportError:
            raise _missing(
                provider,
                model,
                "install google-auth and run `gcloud auth application-default login` (or set "
                f"GOOGLE_APPLICATION_CREDENTIALS), or {E.SKIP_VERTEX_AUTH}=1 behind a proxy "
                "that authenticates",
            ) from None
        return sdk.AnthropicVertex(base_url=base, **kwargs, **common)
    if provider == "foundry":
        resource = E.get(env, E.FOUNDRY_RESOURCE)
        if not base and not resource:
            raise LiveError(
                f"foundry: no endpoint to call {model}: set {E.FOUNDRY_BASE_URL} or "
                f"{E.FOUNDRY_RESOURCE}",
                provider=provider,
                model=model,
            )
        where: dict[str, Any] = {"base_url": base} if base else {"resource": resource}
        if E.is_truthy(env.get(E.SKIP_FOUNDRY_AUTH)):
            return _foundry_unauthenticated(sdk.AnthropicFoundry)(
                api_key="unused", **where, **common
            )
        key = E.get(env, E.FOUNDRY_API_KEY)
        if not key:
            raise _missing(
                provider,
                model,
                f"set {E.FOUNDRY_API_KEY}, or {E.SKIP_FOUNDRY_AUTH}=1 behind a proxy that "
                "authenticates",
            )
        return sdk.AnthropicFoundry(api_key=key, **where, **common)
    if provider == "mantle":
        skip = E.is_truthy(env.get(E.SKIP_MANTLE_AUTH))
        bearer = E.get(env, E.AWS_BEARER_TOKEN_BEDROCK)
        return sdk.AnthropicBedrockMantle(
            aws_region=region or E.get(env, E.AWS_REGION) or "us-east-1",
            base_url=base,
            skip_auth=skip,
            api_key=None if skip else bearer,
            **common,
        )
    if provider == "anthropicAws":
        return sdk.AnthropicAWS(
            base_url=base,
            workspace_id=E.get(env, E.AWS_WORKSPACE_ID),
            skip_auth=E.is_truthy(env.get(E.SKIP_ANTHROPIC_AWS_AUTH)),
            aws_region=E.get(env, E.AWS_REGION) or "us-east-1",
            **common,
        )
    if provider == "anthropicGoogleCloud":
        return sdk.AnthropicGoogleCloud(
            base_url=base,
            project=E.get(env, E.GOOGLE_CLOUD_PROJECT),
            location=E.get(env, E.GOOGLE_CLOUD_LOCATION),
            workspace_id=E.get(env, E.GOOGLE_CLOUD_WORKSPACE_ID),
            skip_auth=E.is_truthy(env.get(E.SKIP_ANTHROPIC_GOOGLE_CLOUD_AUTH)),
            **common,
        )
    # first party and the gateway: the Messages API at ANTHROPIC_BASE_URL
    key = E.get(env, E.API_KEY)
    token = E.get(env, E.AUTH_TOKEN) or (None if key else E.get(env, E.OAUTH_TOKEN))
    if not key and not token:
        raise _missing(
            provider,
            model,
            f"set {E.API_KEY} (or {E.AUTH_TOKEN} for a gateway that takes a bearer token)",
        )
    # Claude Code sends a key as ``x-api-key``; the SDK adds its own ``Authorization``.
    headers = {"x-api-key": key} if key else None
    return sdk.Anthropic(
        api_key=key, auth_token=token, base_url=base, default_headers=headers, **common
    )


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
) -> Reply:
    """Send ``call`` once (no SDK retries). Missing credentials raise :class:`LiveError`; a
    model id that would change the URL raises :class:`ModelURLError`; everything the server or
    the network does comes back as a :class:`Reply`."""
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
        return Reply(None, "timeout", message=f"no reply within {wait:g}s")
    except sdk.APIConnectionError as exc:
        return _connection_reply(exc)
    except sdk.APIStatusError as exc:
        return Reply(
            exc.status_code,
            "status",
            message=_error_message(exc.response),
            retry_after=_retry_after(exc.response.headers),
        )
    finally:
        client.close()
    return _ok_reply(response)


def _connection_reply(exc: BaseException) -> Reply:
    chain: list[str] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 8:
        chain.append(str(cur))
        cur = cur.__cause__ or cur.__context__
    detail = " ".join(chain).lower()
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


def _ok_reply(response: Any) -> Reply:
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
    return Reply(status, "ok", text=text)


def _error_message(response: Any) -> str:
    """The server's own words: ``error.message`` (Anthropic), ``message``/``Message`` (AWS)."""
    text = str(getattr(response, "text", "") or "")
    try:
        data = json.loads(text)
    except ValueError:
        return _one_line(text) or f"HTTP {response.status_code}"
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict) and isinstance(err.get("message"), str):
            return _one_line(err["message"])
        for key in ("message", "Message"):
            if isinstance(data.get(key), str):
                return _one_line(data[key])
    return _one_line(text)


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _retry_after(headers: Any) -> float | None:
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return max(0.0, float(raw) / scale)
        except ValueError:
            continue
    return None


def redact(text: str, env: Mapping[str, str]) -> str:
    """``text`` with every secret of ``env`` masked (a server may echo a key back)."""
    for var in E.SECRETS:
        value = E.get(env, var)
        if value and len(value) >= 4 and value in text:
            text = text.replace(value, E.mask(value))
    return text


def endpoint_of(provider: str, env: Mapping[str, str]) -> str:
    """The endpoint, for messages: the base URL variable's value without any userinfo."""
    var = BASE_URL_VAR.get(provider, E.BASE_URL)
    raw = E.get(env, var)
    if not raw:
        return f"the {provider} default endpoint"
    parts = urllib.parse.urlsplit(raw)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def fault_line(provider: str, model: str, reply: Reply, env: Mapping[str, str]) -> str:
    """One line for a reply that is neither an answer nor a refusal: provider, model, fix."""
    var = BASE_URL_VAR.get(provider, E.BASE_URL)
    where = endpoint_of(provider, env)
    if reply.kind == "timeout":
        return (
            f"{provider}: {model}: {reply.message} from {where}; check {var} or raise "
            f"{API_TIMEOUT_MS}"
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
