"""The live edge: real requests, shaped exactly as :func:`claude_models.resolve` says.

- :mod:`.clients`: thin builders over the anthropic SDK clients (one per provider) and
  :func:`~.clients.send`, one request in, one :class:`~.clients.Reply` out, never a traceback.
- :mod:`.plan`: the fallback rules as one sans-IO planner, per modelled release (BEHAVIOUR.md 7
  and 4, CHANGES.md 2.1.330 / 2.1.332, the opt-in ``CLAUDE_MODELS_SIDE_QUERY_FALLBACK=main-model``
  and its process memory).
- :mod:`.chain`: the planner driven for the CLI (``ask``), with Claude Code's error wording.
- :mod:`.client`: ``claude_models.Client`` / ``AsyncClient``, the planner driven through the
  SDK's ``messages.create`` / ``messages.stream``.
- :mod:`.probe`: ``validate_model``, the ``max_tokens: 1`` probe of ``/model`` (seed lesson 11).
- :mod:`.profiles`: Bedrock system-defined inference profiles, discovered in the background.

Nothing here is imported by ``claude_models`` or ``resolve``; the SDK and boto3 are imported
inside the functions that need them (the ``claude-models[live]`` extra).
"""
