from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "concord.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from concord.accounts.signin import record_lockout

        user_locked_out.connect(record_lockout, dispatch_uid="concord-audit-lockout")
