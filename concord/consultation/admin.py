"""Every model of this app in the read-only support admin (see `common/admin.py`)."""

from concord.common.admin import ReadOnlyAdmin, register_read_only
from concord.consultation.models import OpinionMapSnapshot, RateCounter


class SnapshotAdmin(ReadOnlyAdmin):
    # A stored map lists every participant: tens of megabytes at a million.
    heavy = ("map", "points", "projection", "display")
    exclude = heavy


class RateCounterAdmin(ReadOnlyAdmin):
    # A rate-limit key names a client; support work needs the counts, not who.
    exclude = ("key",)


register_read_only(
    "consultation", custom={OpinionMapSnapshot: SnapshotAdmin, RateCounter: RateCounterAdmin}
)
