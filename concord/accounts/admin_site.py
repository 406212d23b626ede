"""The admin site for support work: read-only, open to the secretariat.

Django's own site lets in only ``is_staff`` users and offers writes; Concord's shows every
model read-only (``common/admin.py``) to whoever ``access.may_use_support_admin`` allows.
This module only defines the site: the models register in each app's ``admin.py``, which
Django imports after the site exists.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from concord.accounts import access


class SupportAdminSite(admin.AdminSite):
    site_header = _("Concord support (read-only)")
    site_title = _("Concord support")
    index_title = _("Data, read-only")

    def has_permission(self, request: HttpRequest) -> bool:
        return access.may_use_support_admin(request.user)
