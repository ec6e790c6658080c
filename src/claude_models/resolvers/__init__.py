"""The resolvers: one module per precedence chain, each a pure function of the derived
:class:`~.context.Ctx` of one snapshot.

==============  =============================================================================
context         the facts derived once per snapshot (provider, policy, 1M access, overrides)
setting         a model setting (alias, id, ``[1m]``) to a model on this provider
policy          ``availableModels`` / managed ``deniedModels`` matching
main            the main-loop chain, then allowlist replacement, managed deny, enforced default
effort          the effort chains (main loop; the level list and clamping)
fastmode        the one fast-mode gate (resolve, explain and ``/fast on``)
side            the side-query ("haiku slot") chain
subagent        the ``Agent`` tool's model and effort chains
skill           a skill's ``model:`` override
fallbacks       ``--fallback-model`` / ``fallbackModel``
subscription    the subscription tier of the session
==============  =============================================================================
"""
