"""Background job: the daily reminders, by e-mail through Django's mail framework."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.implementation.models import ReminderRun
from concord.implementation.reminders import reminders
from concord.organization.models import Organization


def send_reminders(*, force: bool = False) -> int:
    """Once a day: e-mail each state's delegation (users with an address) what is due.
    Returns the number of e-mails sent (0 when today's run happened already)."""
    now = timezone.now()
    today = now.date()
    if not force and ReminderRun.objects.filter(day=today).exists():
        return 0  # the worker loops every few seconds; the mail goes once a day
    # One transaction: if sending fails, the day's row goes too and the next round retries.
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = ReminderRun.objects.create(day=today, at=now)
        except IntegrityError:
            if not force:
                return 0
            run = ReminderRun.objects.get(day=today)
        sent = _send(today)
        run.sent = sent
        run.save(update_fields=["sent"])
    return sent


def _send(today: date) -> int:
    sent = 0
    for org in Organization.objects.all():
        due = reminders(org, today=today)
        if not due:
            continue
        users = User.objects.filter(organization=org, state__iso3__in=list(due)).exclude(email="")
        for user in users.select_related("state"):
            assert user.state is not None
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("%(org)s: %(count)s item(s) to report on") % {
                    "org": str(org),
                    "count": len(due[user.state.iso3]),
                }
                body = render_to_string(
                    "implementation/reminder_email.txt",
                    {"org": org, "state": user.state, "items": due[user.state.iso3]},
                )
            sent += send_mail(subject, body, None, [user.email])
    return sent
