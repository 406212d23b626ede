"""The read-only admin that support staff use to look at the data.

Nobody writes through the admin: every write goes through a service, which checks the
actor's rights, applies the domain rules and appends the audit event. The admin only
shows rows, to the people the admin site lets in (``accounts.admin.SupportAdminSite``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

if TYPE_CHECKING:  # generic for the type checker only; Django's class is not subscriptable
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = admin.ModelAdmin


class ReadOnlyAdmin(_ModelAdmin):
    """Shows rows; adds, changes and deletes nothing, and has no bulk actions."""

    actions = None
    #: Columns too large to load for a list or a detail page (whole opinion maps).
    heavy: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        return queryset.defer(*self.heavy) if self.heavy else queryset

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def register_read_only(
    app_label: str, *, custom: dict[type[Model], type[ReadOnlyAdmin]] | None = None
) -> None:
    """Register every model of ``app_label``: a model with an entry in ``custom`` with that
    admin (to hide secrets or heavy columns), the others with a plain ``ReadOnlyAdmin``.
    A model added later is registered without anyone having to remember it."""
    custom = custom or {}
    for model in apps.get_app_config(app_label).get_models():
        if model in custom or not admin.site.is_registered(model):
            admin.site.register(model, custom.get(model, ReadOnlyAdmin))
