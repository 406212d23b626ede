"""How a link's hash is computed: the one definition both appending and verifying use."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any


def canonical(payload: Any) -> bytes:
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def digest(payload: Any) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def link_hash(
    *, seq: int, at: datetime, actor: str, act: str, obj: str, payload_digest: str, prev: str
) -> str:
    fields = [str(seq), at.isoformat(), actor, act, obj, payload_digest, prev]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()
