"""Actions: what ``/model``, ``/effort`` and ``/fast`` do, the picker, and the session.

The planners (:mod:`.model`, :mod:`.effort`, :mod:`.fast`) are pure: a snapshot in, an
:class:`~.outcome.Outcome` out (ok, message, the new session state, the settings edits).
:mod:`.persist` writes edits to the files the snapshot read; :mod:`.session` strings it all
together for an agent that keeps one session going; :mod:`.picker` is the ``/model`` menu.
"""
