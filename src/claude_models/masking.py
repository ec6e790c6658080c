"""Secrets never printed, whole or in part: the one place text is cleared before it is shown.

Every string that comes from outside (a server's error or answer, a boto3 exception) or that
is about a secret (an endpoint URL) goes through :func:`mask` or :func:`url` before it is
printed, returned in JSON or kept in a note. The rules (docs/decisions/livesec.md):

- **Known secrets** (:func:`secrets_of`): the values of :data:`claude_models.env.SECRETS`
  (API key, auth and OAuth tokens, the Bedrock bearer token, the Foundry key, AWS keys and
  session token) and the userinfo of every base-URL variable (password, and a user name given
  without a password, which gateways use as a token).
- **Whole or in part**: any run of :data:`FRAGMENT` (8) or more characters of a known secret
  is masked, so a truncated echo (``…sk-ant-api03-abcd``), a secret cut by line wrapping or
  interleaved with whitespace, a JSON-escaped (``\\/``, ``\\u002b``) or URL-encoded
  (``%2F``) echo are all caught. A secret shorter than 8 characters is masked only whole
  (and only from 4 characters: shorter values would mangle ordinary words).
- **Known shapes**, whatever the environment says: ``sk-ant-…`` keys, AWS access key ids
  (``AKIA…``/``ASIA…``), SigV4 ``Credential=``/``Signature=``, ``Bearer <token>``,
  ``x-api-key: …`` / ``api-key: …`` header echoes and ``scheme://user:pass@`` userinfo.
- **Mask first, then cut**: :func:`one_line` masks, then collapses whitespace, then cuts to
  its limit, so a cut can never leave the unmasked head of a secret.

Pure standard library, cheap to import (the CLI imports it on error paths).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping

from claude_models import env as E

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

FRAGMENT: Final = 8  # a shared run this long (or longer) of a secret is masked
WHOLE_MIN: Final = 4  # shorter secrets are never searched for (they would mangle words)
MASK: Final = "…(masked)"
KEY_MASK: Final = "sk-ant-…(masked)"
LIMIT: Final = 300  # default length of a one-line message

# Variables whose value is a URL that may carry userinfo.
URL_VARS: Final = (
    E.BASE_URL,
    E.BEDROCK_BASE_URL,
    E.BEDROCK_MANTLE_BASE_URL,
    E.VERTEX_BASE_URL,
    E.FOUNDRY_BASE_URL,
    E.AWS_BASE_URL,
    E.GOOGLE_CLOUD_BASE_URL,
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "ALL_PROXY",
    "https_proxy",
    "http_proxy",
    "all_proxy",
)

_SHAPES: Final = (
    # scheme://user:pass@  ->  scheme://
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]*@"), r"\1"),
    (re.compile(r"sk-ant-[A-Za-z0-9_\-]{4,}"), KEY_MASK),
    (re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA|ABIA|ACCA)[A-Z0-9]{12,}\b"), MASK),
    (re.compile(r"(?i)(Credential=)[^,\s\"']+"), r"\1" + MASK),
    (re.compile(r"(?i)(Signature=)[0-9a-f]{16,}"), r"\1" + MASK),
    (re.compile(r"(?i)(\bBearer\s+)[^\s,;\"']+"), r"\1" + MASK),
    (
        re.compile(
            r"(?i)((?:x-api-key|api-key|x-amz-security-token)[\"']?\s*[:=]\s*[\"']?)[^\s,;\"']+"
        ),
        r"\1" + MASK,
    ),
)
_SPACES = re.compile(r"\s+")


def userinfo(raw: str) -> tuple[str | None, str | None]:
    """The (user, password) of a URL, with or without a scheme (``admin:pw@host``)."""
    rest = raw.strip()
    m = re.match(r"(?i)^[a-z][a-z0-9+.-]*://", rest)
    if m:
        rest = rest[m.end() :]
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if "@" not in authority:
        return None, None
    info = authority.rsplit("@", 1)[0]
    user, sep, password = info.partition(":")
    return (user or None), (password if sep and password else None)


def url(raw: str) -> str:
    """``raw`` as it may be shown: userinfo removed, with or without a scheme; query and
    fragment dropped (they may carry tokens)."""
    text = raw.strip()
    m = re.match(r"(?i)^[a-z][a-z0-9+.-]*://", text)
    scheme = m.group(0) if m else ""
    rest = text[len(scheme) :]
    cut = re.search(r"[/?#]", rest)
    authority, tail = (rest[: cut.start()], rest[cut.start() :]) if cut else (rest, "")
    if "@" in authority:
        authority = authority.rsplit("@", 1)[1]
    tail = re.split(r"[?#]", tail, maxsplit=1)[0]
    return f"{scheme}{authority}{tail}"


def secrets_of(env: Mapping[str, str]) -> tuple[str, ...]:
    """Every secret value ``env`` holds (see the module doc), longest first."""
    found: set[str] = set()
    for var in E.SECRETS:
        value = E.get(env, var)
        if value:
            found.add(value)
    for var in URL_VARS:
        value = E.get(env, var)
        if not value:
            continue
        user, password = userinfo(value)
        for part in (password, user if password is None else None):
            if part:
                found.add(part)
                found.add(urllib.parse.unquote(part))
    return tuple(sorted((s for s in found if len(s) >= WHOLE_MIN), key=len, reverse=True))


def _forms(secret: str) -> set[str]:
    """The spellings a secret may come back in: as is, URL-encoded, JSON-escaped."""
    forms = {
        secret,
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=True)[1:-1].replace("/", "\\/"),
    }
    return {f for f in forms if f}


def _label(secret: str) -> str:
    return E.mask(secret)


def mask(text: str, env: Mapping[str, str] | None = None, *, extra: Iterable[str] = ()) -> str:
    """``text`` with every secret of ``env`` (and ``extra``), whole or any run of
    :data:`FRAGMENT`+ characters of it, and every known secret shape masked."""
    if not text:
        return text
    secrets = [*(secrets_of(env) if env is not None else ()), *extra]
    for secret in secrets:
        for form in sorted(_forms(secret), key=len, reverse=True):
            if form in text:
                text = text.replace(form, _label(secret))
    spans = _fragment_spans(text, secrets)
    if spans:
        text = _apply(text, spans)
    for pattern, repl in _SHAPES:
        text = pattern.sub(repl, text)
    return text


def _fragment_spans(text: str, secrets: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of ``text`` sharing a run of FRAGMENT+ characters with a secret's form, found in
    the text with whitespace removed (a wrapped line) and mapped back."""
    windows: set[str] = set()
    for secret in secrets:
        if len(secret) < FRAGMENT:
            continue
        for form in _forms(secret):
            windows.update(form[i : i + FRAGMENT] for i in range(len(form) - FRAGMENT + 1))
    if not windows:
        return []
    squeezed = _SPACES.sub("", text)
    finder = re.compile("(?=(" + "|".join(map(re.escape, sorted(windows))) + "))")
    starts = [m.start() for m in finder.finditer(squeezed)]
    if not starts:
        return []
    where = (
        [i for i, c in enumerate(text) if not c.isspace()] if len(squeezed) < len(text) else None
    )
    hits: list[tuple[int, int]] = []
    for i in starts:
        first, last = (where[i], where[i + FRAGMENT - 1]) if where else (i, i + FRAGMENT - 1)
        start, end = first, last + 1
        if hits and start <= hits[-1][1]:
            hits[-1] = (hits[-1][0], max(end, hits[-1][1]))
        else:
            hits.append((start, end))
    return hits


def _apply(text: str, spans: list[tuple[int, int]]) -> str:
    out: list[str] = []
    last = 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(MASK)
        last = end
    out.append(text[last:])
    return "".join(out)


def one_line(text: str, env: Mapping[str, str] | None = None, *, limit: int = LIMIT) -> str:
    """Mask, then collapse whitespace to one line, then cut to ``limit`` characters."""
    line = " ".join(mask(text, env).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
