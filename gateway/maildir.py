"""Writes a message into a Maildir exactly once: `tmp/` first, then an atomic rename into `new/`."""

import os
from pathlib import Path


def ensure_maildir(root: Path) -> None:
    for folder in ("tmp", "new", "cur"):
        (root / folder).mkdir(parents=True, exist_ok=True)


def already_delivered(root: Path, name: str) -> bool:
    """A reader may have moved the file to `cur/` and added flags (`name:2,S`)."""
    if (root / "new" / name).exists():
        return True
    cur = root / "cur"
    return (cur / name).exists() or any(cur.glob(f"{name}:2,*"))


def write_once(root: Path, name: str, data: bytes) -> Path:
    """Deliver `data` under a name fixed by the caller, so that a retry finds the first copy."""
    ensure_maildir(root)
    final = root / "new" / name
    if already_delivered(root, name):
        return final
    temporary = root / "tmp" / name
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(temporary, final)
    directory = os.open(root / "new", os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return final
