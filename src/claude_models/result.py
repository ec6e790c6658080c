"""What resolution produces, and its ``resolve --json`` form (``spec/CLI.md``).

Field names here are the JSON contract: add freely, never rename or drop.
"""

from __future__ import annotations

from claude_models._record import field, lazy, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection
    from typing import Any

    from claude_models.decision import Decisions
    from claude_models.releases import ClaudeCode


@record
class Thinking:
    type: str  # "adaptive" | "enabled" | "disabled"
    budget_tokens: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "budget_tokens": self.budget_tokens}


def sdk_kwargs(
    model: str,
    max_tokens: int,
    *,
    thinking: Thinking | None = None,
    effort: str | None = None,
    betas: tuple[str, ...] = (),
    speed: str | None = None,
) -> dict[str, Any]:
    """The keyword arguments of the anthropic SDK's ``messages.create`` for one request:
    ``model``, ``max_tokens``, ``thinking`` (``{"type": "adaptive"}``, ``{"type": "enabled",
    "budget_tokens": N}`` or ``{"type": "disabled"}``), ``output_config={"effort": ...}``,
    ``speed`` and the betas as the ``anthropic-beta`` header in ``extra_headers`` (the Bedrock
    client moves it into the body's ``anthropic_beta``, as Claude Code does). Keys with nothing
    to send are left out. The region is not a keyword of ``create``: it is the client's
    (``AnthropicBedrock(aws_region=...)``, ``AnthropicVertex(region=...)``)."""
    out: dict[str, Any] = {"model": model, "max_tokens": max_tokens}
    if thinking is not None:
        t: dict[str, Any] = {"type": thinking.type}
        if thinking.type == "enabled" and thinking.budget_tokens is not None:
            t["budget_tokens"] = thinking.budget_tokens
        out["thinking"] = t
    if effort is not None:
        out["output_config"] = {"effort": effort}
    if speed is not None:
        out["speed"] = speed
    if betas:
        out["extra_headers"] = {"anthropic-beta": ",".join(betas)}
    return out


@record
class Request:
    """One role's request as it would be sent, and why.

    Attributes:
        model: the model id on the wire (provider spelling, no ``[1m]``).
        setting: the user's value before resolution; ``None`` for the built-in default.
        source: which step decided (``--model``, ``ANTHROPIC_MODEL``, a settings scope,
            ``default``, ...): the ``resolve --json`` contract, derived from the decision.
        max_tokens: the ``max_tokens`` sent.
        effort: the effort level sent, ``None`` when no effort is sent.
        thinking: the thinking block sent, ``None`` when none is.
        context_window: the context window Claude Code reports for the model.
        betas: the ``anthropic-beta`` values sent (context-1m, fast mode).
        speed: ``"fast"`` in fast mode, else ``None``.
        region: the provider region/location the request goes to (Bedrock, Vertex).
        catalog_id: the registry model, ``None`` for an id nobody knows.
        origin: the file or variable behind ``source``.
        effort_source: what decided ``effort``.
        max_tokens_source: what decided ``max_tokens``.
        thinking_source: what decided ``thinking``.
        context_source: what decided ``context_window`` and the 1M beta.
        region_source: what decided ``region``.
    """

    model: str  # the wire id
    setting: str | None  # the user's value before resolution, None for the built-in default
    source: str  # which step decided: "--model", "ANTHROPIC_MODEL", "managed", ..., "default"
    max_tokens: int
    effort: str | None
    thinking: Thinking | None
    context_window: int
    betas: tuple[str, ...]
    speed: str | None
    region: str | None
    catalog_id: str | None = None  # the registry model, None for an id nobody knows
    origin: str | None = None  # the file or variable behind ``source``
    effort_source: str | None = None
    max_tokens_source: str | None = None
    thinking_source: str | None = None
    context_source: str | None = None
    region_source: str | None = None

    def to_sdk_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for the SDK's ``client.messages.create(**kwargs, messages=...)``:
        this request's model, max_tokens, thinking, effort, speed and betas (see
        :func:`sdk_kwargs`). Send it with a client in :attr:`region` (Bedrock, Vertex)."""
        return sdk_kwargs(
            self.model,
            self.max_tokens,
            thinking=self.thinking,
            effort=self.effort,
            betas=self.betas,
            speed=self.speed,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "setting": self.setting,
            "source": self.source,
            "max_tokens": self.max_tokens,
            "effort": self.effort,
            "thinking": self.thinking.to_json() if self.thinking else None,
            "context_window": self.context_window,
            "betas": list(self.betas),
            "speed": self.speed,
            "region": self.region,
            "catalog_id": self.catalog_id,
            "origin": self.origin,
            "origins": {
                "effort": self.effort_source,
                "max_tokens": self.max_tokens_source,
                "thinking": self.thinking_source,
                "context_window": self.context_source,
                "region": self.region_source,
            },
        }


@record
class StepDown:
    """What Claude Code tries after a refusal, by the rule of the modelled release
    (:mod:`claude_models.stepdown`): the wire ids in order, the rule, and (main loop) each
    step's request with that model's own defaults."""

    models: tuple[str, ...]
    requests: tuple[Request, ...]
    rule: str | None  # the releases.RULES name, None where no rule applies

    def after(self, model: str, tried: Collection[str] = ()) -> Request | None:
        """The request sent after ``model`` is refused: the step that follows it (the first
        step when ``model`` is the refused first model, which is not a step), skipping models
        in ``tried``; ``None`` at the end of the walk. Needs ``requests`` (main loop, side
        retry)."""
        at = next((i for i, r in enumerate(self.requests) if r.model == model), -1)
        return next((r for r in self.requests[at + 1 :] if r.model not in tried), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "models": list(self.models),
            "rule": self.rule,
            "requests": [r.to_json() for r in self.requests],
        }


@record
class SideQuery:
    """The small/fast ("haiku slot") model of background side queries.

    Attributes:
        model: the model id on the wire.
        effort: the effort level sent, ``None`` when none is.
        source: the rule of BEHAVIOUR.md section 4 that chose it.
        max_tokens: the ``max_tokens`` sent.
        region: the provider region/location, when the provider has one.
        catalog_id: the registry model, ``None`` for an id nobody knows.
        effort_source: what decided ``effort``.
        fallback: the runtime fallback mode: ``"off"`` (Claude Code) or ``"main-model"``.
        retry: what a refused hook side query tries next in the modelled release (2.1.330+):
            the main-loop model, or its own step-down when it is the main-loop model; its
            ``requests`` are shaped as sent.
        webfetch: the WebFetch summariser's step-down after a refusal (Vertex, 2.1.330+).
        retry_on_main: Claude Code retries a refused hook side query on the main-loop model.
        on_main: the side query as sent on the main-loop model resolved outside plan mode (the
            2.1.330 retry and the opt-in ``main-model`` fallback): its model, max_tokens,
            effort, betas and region, no thinking.
        betas: the betas sent: only those ``ANTHROPIC_BETAS`` adds (:mod:`claude_models.betas`).
    """

    model: str
    effort: str | None
    source: str  # the rule of BEHAVIOUR.md section 4 that chose it
    max_tokens: int
    region: str | None
    catalog_id: str | None
    effort_source: str | None = None
    fallback: str = "off"  # runtime fallback mode: "off" (Claude Code) or "main-model"
    # a refused hook side query's next models in the modelled release (2.1.330+)
    retry: StepDown | None = None
    webfetch: StepDown | None = None  # the WebFetch summariser's step-down (Vertex, 2.1.330+)
    # Claude Code itself retries a refused hook side query on the main-loop model (2.1.330+,
    # side model != main model); when they are the same, ``retry`` is the side's step-down
    retry_on_main: bool = False
    on_main: Request | None = None  # this query on the main model outside plan mode
    betas: tuple[str, ...] = ()  # ANTHROPIC_BETAS (side queries send no model-system beta)

    def to_sdk_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for the SDK's ``messages.create``: the side-query model, its
        max_tokens, effort and the betas ``ANTHROPIC_BETAS`` adds; side queries send no
        thinking."""
        return sdk_kwargs(self.model, self.max_tokens, effort=self.effort, betas=self.betas)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "effort": self.effort,
            "source": self.source,
            "max_tokens": self.max_tokens,
            "thinking": None,
            "region": self.region,
            "catalog_id": self.catalog_id,
            "effort_source": self.effort_source,
            "fallback": self.fallback,
            "retry_on_main": self.retry_on_main,
            "retry_models": list(self.retry.models) if self.retry else [],
            "retry_rule": self.retry.rule if self.retry else None,
            "webfetch_stepdown": list(self.webfetch.models) if self.webfetch else [],
            "betas": list(self.betas),
        }


@record
class Subagent:
    """The subagent an ``Agent`` tool call would run, or the error Claude Code would give.

    Attributes:
        request: the subagent's request, ``None`` when the call is rejected.
        agent_type: the ``subagent_type`` called (``general-purpose`` when absent).
        error: the error Claude Code gives instead of running it, else ``None``.
        replaced: a requested model that was not allowed (the parent's model ran instead).
    """

    request: Request | None
    agent_type: str | None
    error: str | None = None
    replaced: str | None = None  # a requested model that was not allowed; the parent's ran

    def to_sdk_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for the SDK's ``messages.create`` of the subagent's request;
        ``ValueError`` (with Claude Code's reason) when the Agent tool call is rejected."""
        if self.request is None:
            raise ValueError(f"the Agent tool call is rejected: {self.error}")
        return self.request.to_sdk_kwargs()

    def to_json(self) -> dict[str, Any]:
        if self.request is None:
            return {
                "error": self.error,
                "agent_type": self.agent_type,
                "model": None,
                "setting": None,
                "source": None,
                "max_tokens": None,
                "effort": None,
                "thinking": None,
                "context_window": None,
                "betas": [],
                "speed": None,
                "region": None,
            }
        out = self.request.to_json()
        out["agent_type"] = self.agent_type
        out["error"] = None
        out["replaced"] = self.replaced
        return out


@record
class FastMode:
    """Fast mode for the session.

    Attributes:
        state: ``"on"``, ``"off"`` or ``"cooldown"``.
        reason: why it is not on (``not_first_party``, ``sdk_opt_in_required``, ...), ``None``
            when on, or off only because the model has no fast mode.
        detail: a sentence for people: why this state, and what decided it.
    """

    state: str  # "on" | "off" | "cooldown"
    reason: str | None
    detail: str | None = None  # a sentence for people: why this state, and what decided it

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state, "reason": self.reason, "detail": self.detail}


@record
class RefusalFallback:
    """What Claude Code does when the main loop's reply is refused by the safety classifier
    (a 200 with ``stop_reason: "refusal"``; measured the same on 2.1.328-2.1.332,
    docs/decisions/measure.md).

    Attributes:
        retry: one more request on the same model first (not with
            ``CLAUDE_CODE_DISABLE_REFUSAL_RETRY``).
        routes: ``(category, request)``: the model the session switches to for a refusal of
            that ``stop_details.category`` (``cyber``, ``bio``, ``frontier_llm``), shaped as
            sent (its own max_tokens, the refused request's effort). Empty: no switch (the
            model lacks the catalog's ``refusal_fallback`` capability, or it is turned off);
            any other category ends the session with the refusal error.
        disabled_by: ``CLAUDE_CODE_DISABLE_REFUSAL_FALLBACK`` when it turned the routes off.
    """

    retry: bool
    routes: tuple[tuple[str, Request], ...] = ()
    disabled_by: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "retry": self.retry,
            "routes": {category: req.model for category, req in self.routes},
            "requests": {category: req.to_json() for category, req in self.routes},
            "disabled_by": self.disabled_by,
        }


@record
class Warning:
    code: str
    message: str
    severity: str = "warning"  # "error" | "warning" | "info" (claude_models.checks.SEVERITY)

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "severity": self.severity}


@lazy("warnings", "refusal_fallback")
@record
class Resolution:
    """Everything Claude Code would send for one snapshot, and why: the one downstream
    contract (``resolve --json``, explain, doctor and the live layer read it).

    ``warnings`` is computed when first read (then kept): :func:`~claude_models.resolve`
    makes the decisions, and the diagnostics cost only a caller who reads them. Equality,
    ``hash``, ``repr``, ``copy``, ``pickle`` and :meth:`to_json` read it like any field.

    Attributes:
        provider: the provider (``firstParty``, ``bedrock``, ``vertex``, ...).
        provider_source: the variable that chose the provider, ``None`` for the default.
        session: ``"print"`` or ``"interactive"``.
        main: the main-loop request.
        fallback_models: the fallback model ids tried in order (at most three).
        side: the side-query model.
        subagent: the subagent of the ``Agent`` call given, ``None`` without one.
        fast_mode: fast mode's state and reason.
        warnings: what a careful admin would want to know.
        fallback_source: ``--fallback-model`` or the settings file that listed fallbacks.
        skill: a skill's model override (``--skill-model``), ``None`` without one.
        fallbacks: the fallback models as full requests, shaped by the same code as the main
            loop (``fallback_models`` holds their ids).
        decisions: every precedence chain's :class:`~claude_models.decision.Decision` (the
            step that won and its origin); consumers match on steps, never on ``source``.
        main_stepdown: the models a refused main-loop model walks on its own in the modelled
            release (2.1.332+: Bedrock, Vertex, Foundry, no fallback configured), ``None``
            where Claude Code does not step down.
        claude_code: the modelled Claude Code release, where that choice came from, and the
            installed release.
        refusal_fallback: what follows a main-loop reply refused by the safety classifier
            (``stop_reason: "refusal"``): :class:`RefusalFallback`, computed on first read.
    """

    provider: str
    provider_source: str | None
    session: str  # "print" | "interactive"
    main: Request
    fallback_models: tuple[str, ...]
    side: SideQuery | None
    subagent: Subagent | None
    fast_mode: FastMode
    warnings: tuple[Warning, ...] = field(default=())
    fallback_source: str | None = None  # "--fallback-model" or the settings file
    skill: Request | None = None  # a skill's model override (--skill-model), None without one
    fallbacks: tuple[Request, ...] = ()  # the fallback models as full requests (same shaping)
    decisions: Decisions | None = field(default=None, compare=False)  # every chain's decision
    # the automatic main-loop step-down of the modelled release (2.1.332+, 3P), None without
    main_stepdown: StepDown | None = None
    claude_code: ClaudeCode | None = None  # the modelled release and where it came from
    # after a reply refused by the safety classifier (stop_reason "refusal"); on first read
    refusal_fallback: RefusalFallback | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "session": self.session,
            "main": self.main.to_json(),
            "fallback_models": list(self.fallback_models),
            "side": self.side.to_json() if self.side else None,
            "subagent": self.subagent.to_json() if self.subagent else None,
            "fast_mode": self.fast_mode.to_json(),
            "warnings": [w.to_json() for w in self.warnings],
            "provider_source": self.provider_source,
            "fallback_source": self.fallback_source,
            "skill": self.skill.to_json() if self.skill else None,
            "main_stepdown": self.main_stepdown.to_json() if self.main_stepdown else None,
            "claude_code": self.claude_code.to_json() if self.claude_code else None,
            "refusal_fallback": self.refusal_fallback.to_json() if self.refusal_fallback else None,
        }
