"""A bare Django project with one view doing Concord's vote writes and nothing else.

The baseline of ``benchmarks/vote_intake.py``: no middleware, no installed apps, no
django-ninja, no schema validation. It reads the same request Concord's
``POST /api/v1/consultations/{slug}/votes`` reads (the same signed participant token as
``Authorization: Bearer``, the same JSON body) and, in one transaction, looks the
participant up, upserts the current vote and appends the history row, in Concord's own
tables of the same database. Served by the same gunicorn with the same flags.
"""
