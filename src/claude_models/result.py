"""What resolution produces, and its ``resolve --json`` form (``spec/CLI.md``).

Field names here are the JSON contract: add freely, never rename or drop.
"""

from __future__ import annotations

from typing import Any

from claude_models._record import field, record


@record
class Thinking:
    type: str  # "adaptive" | "enabled" | "disabled"
    budget_tokens: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "budget_tokens": self.budget_tokens}


@record
class Request:
    """One role's request as it would be sent, and why."""

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
class SideQuery:
    """The small/fast ("haiku slot") model of background side queries."""

    model: str
    effort: str | None
    source: str  # the rule of BEHAVIOUR.md section 4 that chose it
    max_tokens: int
    region: str | None
    catalog_id: str | None
    effort_source: str | None = None
    fallback: str = "off"  # runtime fallback mode: "off" (Claude Code) or "main-model"

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
        }


@record
class Subagent:
    """The subagent an ``Agent`` tool call would run, or the error Claude Code would give."""

    request: Request | None
    agent_type: str | None
    error: str | None = None
    replaced: str | None = None  # a requested model that was not allowed; the parent's ran

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
    state: str  # "on" | "off" | "cooldown"
    reason: str | None
    detail: str | None = None  # a sentence for people: why this state, and what decided it

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state, "reason": self.reason, "detail": self.detail}


@record
class Warning:
    code: str
    message: str
    severity: str = "warning"  # "error" | "warning" | "info" (claude_models.checks.SEVERITY)

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "severity": self.severity}


@record
class Resolution:
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
        }
