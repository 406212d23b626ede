from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "concord.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from concord.accounts.signin import record_lockout

        user_locked_out.connect(record_lockout, dispatch_uid="concord-audit-lockout")


class SupportAdminConfig(admin_apps.AdminConfig):
    """Django's admin app, serving Concord's read-only support site."""

    default = False  # AdminConfig says True; this module's default is AccountsConfig
    default_site = "concord.accounts.admin_site.SupportAdminSite"
