"""Signed checkpoints: the head and length of the log, signed with an Ed25519 key that is
kept outside the database (``settings.CONCORD_AUDIT_KEY``).

A checkpoint published (mailed to the members, printed in the minutes) is a promise: any
later log must still contain that head at that position. Someone able to rewrite the
database can recompute every hash, but cannot sign a checkpoint for the rewritten log, and
the published one no longer matches it."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from concord.audit import chain
from concord.audit.models import Event

FORMAT = "concord-audit-checkpoint/1"


class CheckpointError(Exception):
    """The checkpoint cannot be read, is not signed by our key, or the log does not extend it."""


def _key_path() -> Path:
    return Path(settings.CONCORD_AUDIT_KEY)


def signing_key(*, create: bool = False) -> Ed25519PrivateKey:
    path = _key_path()
    if not path.exists():
        if not create:
            raise CheckpointError(f"no signing key at {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        return key
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 private key")
    return loaded


def _public_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def _signed_part(events: int, head: str, at: str) -> bytes:
    return chain.canonical({"format": FORMAT, "events": events, "head": head, "at": at})


@dataclass(frozen=True)
class Checkpoint:
    events: int
    head: str
    at: str
    public_key: str
    signature: str

    def as_json(self) -> str:
        return json.dumps(self.__dict__ | {"format": FORMAT}, indent=2, sort_keys=True) + "\n"


def checkpoint_make(*, events: int, head: str) -> Checkpoint:
    """Sign ``head`` at length ``events`` (the caller has verified the log first)."""
    key = signing_key(create=True)
    at = datetime.now(UTC).isoformat()
    signature = key.sign(_signed_part(events, head, at)).hex()
    return Checkpoint(events, head, at, _public_hex(key.public_key()), signature)


def checkpoint_read(path: Path) -> Checkpoint:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise CheckpointError(f"{path} is not a Concord audit checkpoint")
        return Checkpoint(
            int(data["events"]),
            str(data["head"]),
            str(data["at"]),
            str(data["public_key"]),
            str(data["signature"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"cannot read checkpoint {path}: {exc}") from None


def checkpoint_check(cp: Checkpoint) -> None:
    """Raise ``CheckpointError`` unless ``cp`` carries our key's signature and the stored
    log still holds its head at its position (it may have grown since, never changed)."""
    public = signing_key().public_key()
    if cp.public_key != _public_hex(public):
        raise CheckpointError("the checkpoint was signed by another key")
    try:
        public.verify(bytes.fromhex(cp.signature), _signed_part(cp.events, cp.head, cp.at))
    except (InvalidSignature, ValueError):
        raise CheckpointError("the checkpoint's signature does not hold") from None
    if cp.events == 0:
        return
    event = Event.objects.filter(seq=cp.events).first()
    if event is None:
        raise CheckpointError(
            f"the log no longer reaches event #{cp.events} of the checkpoint (truncated)"
        )
    if event.hash != cp.head:
        raise CheckpointError(
            f"event #{cp.events} no longer has the checkpoint's hash (the log was rewritten)"
        )
