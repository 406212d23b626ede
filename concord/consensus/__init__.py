"""Pure domain rules of consensus decision-making.

Nothing in this package imports Django (``tests/test_architecture.py`` checks it): the rules
take plain values and frozen dataclasses and return frozen dataclasses, so they can be
property-tested and reused by any front end.
"""
