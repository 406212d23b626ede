"""Every model of this app in the read-only support admin (see `common/admin.py`)."""

from concord.common.admin import register_read_only

register_read_only("implementation")
