"""The background worker: runs each job of each installed app in a loop.

Jobs are listed explicitly below. A job is a function ``() -> int`` (how much it did),
idempotent and safe to run in several workers at once (it takes its own row locks).
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from importlib import import_module

from django.apps import apps
from django.db import close_old_connections

log = logging.getLogger("concord.worker")

#: (app label, "module:function")
JOBS: list[tuple[str, str]] = [
    ("negotiation", "concord.negotiation.tasks:expire_silence_procedures"),
    ("consultation", "concord.consultation.tasks:recompute_opinion_maps"),
    ("inbox", "concord.inbox.tasks:dispatch_notifications"),
    ("inbox", "concord.inbox.tasks:email_notifications"),
    ("search", "concord.search.tasks:index_documents"),
    ("implementation", "concord.implementation.tasks:send_reminders"),
]


def jobs() -> list[tuple[str, Callable[[], int]]]:
    found = []
    for label, target in JOBS:
        if not apps.is_installed(f"concord.{label}"):
            continue
        module, name = target.split(":")
        found.append((target, getattr(import_module(module), name)))
    return found


def run(*, once: bool = False, interval: float = 2.0) -> int:
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    todo = jobs()
    while not stopping:
        for name, job in todo:
            close_old_connections()
            try:
                done = job()
            except Exception:
                log.exception("job %s failed; it runs again next round", name)
                continue
            if done:
                log.info("%s: %s", name, done)
        if once:
            return 0
        time.sleep(interval)
    return 0
