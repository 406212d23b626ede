"""Pure domain rules of consensus decision-making.

Nothing in this package imports Django (``tests/test_architecture.py`` checks it): the rules
take plain values and frozen dataclasses and return frozen dataclasses, so they can be
property-tested and reused by any front end.

- ``membership``: who holds which status on a date (``status``, ``can_block``).
- ``positions``: the ``Stand`` vocabulary, ``BLOCKING``/``ACCEPTING``, ``Position``.
- ``rules``: ``consensus(...) -> Verdict`` with an explanation and structured reasons.
- ``silence``: the silence procedure as a state machine (``open_silence``,
  ``break_silence``, ``outcome``).
- ``brackets``: disputed spans, their validation and rendering, ``is_clean``.
- ``diff``: provision-by-provision, word-by-word comparison of two versions.
- ``errors``: ``RuleError``, the base of every refusal, with a stable ``code``.
"""
