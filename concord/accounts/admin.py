"""Accounts in the read-only support admin, with no password digest or token shown."""

from __future__ import annotations

from concord.accounts.models import ApiToken, User
from concord.common.admin import ReadOnlyAdmin, register_read_only


class UserAdmin(ReadOnlyAdmin):
    exclude = ("password",)
    list_display = ("username", "role", "organization", "state", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "email")


class ApiTokenAdmin(ReadOnlyAdmin):
    exclude = ("digest",)


register_read_only("accounts", custom={User: UserAdmin, ApiToken: ApiTokenAdmin})
