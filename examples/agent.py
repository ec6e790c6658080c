"""A small tool-using agent on ``claude_models.Client``: the main loop, one side query and one
subagent, each on the model Claude Code would pick, with Claude Code's fallbacks.

Runs against any provider Claude Code supports, configured the same way (first party:
``ANTHROPIC_API_KEY``; Bedrock: ``CLAUDE_CODE_USE_BEDROCK=1`` and AWS credentials; Vertex:
``CLAUDE_CODE_USE_VERTEX=1``, ``ANTHROPIC_VERTEX_PROJECT_ID``, ``CLOUD_ML_REGION``; Foundry:
``CLAUDE_CODE_USE_FOUNDRY=1``, ``ANTHROPIC_FOUNDRY_RESOURCE``, ``ANTHROPIC_FOUNDRY_API_KEY``)::

    pip install 'claude-models[live]'
    python examples/agent.py "What is 12 * 34, and is it prime?"

Tools: ``calculator`` (arithmetic, run here) and ``Agent`` (Claude Code's subagent tool: the
input's ``model`` / ``subagent_type`` choose the subagent's model as Claude Code would). A
background side query titles the conversation, as Claude Code's helper model does.
"""

from __future__ import annotations

import ast
import operator
import sys
from typing import Any

from claude_models import Client, route_of

SYSTEM = "You are a careful assistant. Use the calculator for arithmetic."
TOOLS: list[dict[str, Any]] = [
    {
        "name": "calculator",
        "description": "Evaluate an arithmetic expression (+ - * / ** and parentheses).",
        "input_schema": {
            "type": "object",
            "properties": {"expression": {"type": "string"}},
            "required": ["expression"],
        },
    },
    {
        "name": "Agent",
        "description": "Hand a self-contained task to a subagent and get its answer back.",
        "input_schema": {
            "type": "object",
            "properties": {
                "description": {"type": "string"},
                "prompt": {"type": "string"},
                "subagent_type": {"type": "string"},
                "model": {"type": "string", "enum": ["sonnet", "opus", "haiku"]},
            },
            "required": ["description", "prompt", "subagent_type"],
        },
    },
]
_OPS: dict[type, Any] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
}


def calculate(expression: str) -> str:
    """Arithmetic only: numbers and + - * / ** (no names, no calls)."""

    def ev(node: ast.AST) -> Any:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.operand))
        raise ValueError("only numbers and + - * / ** are allowed")

    try:
        return str(ev(ast.parse(expression, mode="eval").body))
    except (ValueError, SyntaxError, ZeroDivisionError, OverflowError) as exc:
        return f"error: {exc}"


def text_of(message: Any) -> str:
    return "".join(b.text for b in message.content if b.type == "text")


def run_tool(client: Client, name: str, tool_input: dict[str, Any]) -> str:
    if name == "calculator":
        return calculate(str(tool_input.get("expression", "")))
    if name == "Agent":
        # The subagent runs on the model Claude Code gives this Agent tool call.
        reply = client.messages.create(
            agent=tool_input,
            system="You are a subagent. Answer the task in a few sentences.",
            messages=[{"role": "user", "content": str(tool_input.get("prompt", ""))}],
        )
        return text_of(reply)
    return f"error: unknown tool {name}"


def run(client: Client, task: str, *, max_turns: int = 8) -> tuple[str, str]:
    """Work on ``task`` until the model stops calling tools: (title, answer)."""
    # A background side query on the small/fast model, as Claude Code titles a session.
    title = text_of(
        client.messages.create(
            role="side",
            messages=[{"role": "user", "content": f"A title of five words or less for: {task}"}],
        )
    )
    messages: list[dict[str, Any]] = [{"role": "user", "content": task}]
    for _ in range(max_turns):
        reply = client.messages.create(messages=messages, system=SYSTEM, tools=TOOLS)
        route = route_of(reply)
        if route is not None and route.fallbacks:
            print(f"(main loop fell back: {' -> '.join(route.models_tried)})", file=sys.stderr)
        messages.append({"role": "assistant", "content": reply.content})
        calls = [b for b in reply.content if b.type == "tool_use"]
        if not calls:
            return title, text_of(reply)
        messages.append(
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": c.id,
                        "content": run_tool(client, c.name, dict(c.input)),
                    }
                    for c in calls
                ],
            }
        )
    return title, "(stopped after the turn limit)"


def main(argv: list[str]) -> int:
    task = " ".join(argv) or "What is 12 * 34, and is it prime?"
    with Client() as client:
        title, answer = run(client, task)
    print(f"# {title}\n{answer}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
