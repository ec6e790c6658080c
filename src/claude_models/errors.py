"""Errors people can act on.

::

    ModelSystemError                    base of everything this package raises on purpose
    ├── SettingsError (ValueError)      a settings file or --settings value that cannot be used
    │   └── SettingsParseError          ... not valid JSON (the file is never rewritten)
    ├── UsageError (ValueError)         a flag or argument value that cannot be used
    ├── UnknownModelError (KeyError)    a model id nobody knows, where one must be known
    ├── ModelURLError (ValueError)      a model id that would change a request URL's path
    ├── ModelNotAllowedError (ValueError) an explicit model managed policy does not allow
    └── LiveError (RuntimeError)        a live request failed: provider, model and fix named
        └── RefusalError                a reply the safety classifier refused, fallbacks spent

Every message is one line naming the file, key, flag or variable, and what to do about it.
No message ever contains a secret.
"""

from __future__ import annotations


class ModelSystemError(Exception):
    """Base class; ``str(err)`` is a complete one-line message."""


class SettingsError(ModelSystemError, ValueError):
    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        key: str | None = None,
        scope: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.key = key
        self.scope = scope


class SettingsParseError(SettingsError):
    pass


class UsageError(ModelSystemError, ValueError):
    pass


class UnknownModelError(ModelSystemError, KeyError):
    def __init__(self, message: str, *, model: str) -> None:
        super().__init__(message)
        self.model = model

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class ModelURLError(ModelSystemError, ValueError):
    def __init__(self, message: str, *, model: str) -> None:
        super().__init__(message)
        self.model = model


class ModelNotAllowedError(ModelSystemError, ValueError):
    """A model the caller asked for by name that managed policy (``availableModels``,
    ``deniedModels``) does not allow: :class:`claude_models.Client` refuses it rather than
    bypass the policy."""

    def __init__(self, message: str, *, model: str) -> None:
        super().__init__(message)
        self.model = model


class LiveError(ModelSystemError, RuntimeError):
    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        model: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.model = model
        self.status = status


class RefusalError(LiveError):
    """The safety classifier refused the reply (a 200 with ``stop_reason: "refusal"``) and
    Claude Code's refusal fallback (``Resolution.refusal_fallback``) had nothing left:
    ``category`` is the refusal's ``stop_details.category``, ``response`` the refused reply
    (the SDK's ``Message``, ``None`` where none was kept)."""

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        model: str | None = None,
        category: str | None = None,
        response: object = None,
    ) -> None:
        super().__init__(message, provider=provider, model=model, status=200)
        self.category = category
        self.response = response


class LiveWarning(UserWarning):
    """A live-layer problem that did not stop the request (``warnings.warn``): e.g. Bedrock
    inference profiles that could not be listed, so built-in model ids are sent."""
