"""The live edge: real requests, shaped exactly as :func:`claude_models.resolve` says.

- :mod:`.clients`: thin builders over the anthropic SDK clients (one per provider) and
  :func:`~.clients.send`, one request in, one :class:`~.clients.Reply` out, never a traceback.
- :mod:`.chain`: the main-loop fallback chain (BEHAVIOUR.md 7), side queries (section 4, and
  the opt-in ``CLAUDE_MODELS_SIDE_QUERY_FALLBACK=main-model``) and subagents.
- :mod:`.probe`: ``validate_model``, the ``max_tokens: 1`` probe of ``/model`` (seed lesson 11).
- :mod:`.profiles`: Bedrock system-defined inference profiles, discovered in the background.

Nothing here is imported by ``claude_models`` or ``resolve``; the SDK and boto3 are imported
inside the functions that need them (the ``claude-models[live]`` extra).
"""
