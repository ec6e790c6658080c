"""Diagnostics: the warnings of one resolution, read from what the chains decided.

:func:`claude_models.diagnostics.collect.collect` is the one collector (``resolve``, ``explain``
and ``doctor`` all show its output); new checks plug in there.
"""
