"""Worker jobs of the inbox (listed in ``concord/common/worker.py``)."""

from __future__ import annotations

from concord.inbox import services


def dispatch_notifications() -> int:
    """Audit events and coming silence deadlines -> notifications."""
    return services.notifications_dispatch()


def email_notifications() -> int:
    """Notifications due by e-mail, at once or in each user's daily digest."""
    return services.notifications_email()
