"""Unpacks the files that Outlook wraps in a winmail.dat (application/ms-tnef) attachment."""

import mimetypes

from tnefparse.tnef import TNEF

from gateway.parsed import Attachment

TNEF_CONTENT_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}


class TnefError(Exception):
    """The winmail.dat could not be unpacked; the message says why in a few words."""


def is_tnef(content_type: str, filename: str) -> bool:
    """Outlook labels the part by type, but some gateways relabel it octet-stream and keep the name."""
    return content_type in TNEF_CONTENT_TYPES or filename.lower() == "winmail.dat"


def unpack_tnef(data: bytes) -> list[Attachment]:
    """The files inside a winmail.dat, each with origin "tnef"; raises TnefError when unreadable."""
    try:
        # Checksums are skipped: tnefparse only logs a mismatch, and summing every byte of a
        # large attachment costs more than the check is worth here.
        container = TNEF(data, do_checksum=False)
        entries = [
            (_filename(entry, index), _content_type(entry), entry.data)
            for index, entry in enumerate(container.attachments, start=1)
        ]
    except Exception as error:  # tnefparse raises struct, value, index and decode errors alike.
        raise TnefError(f"{type(error).__name__}: {error}") from error
    files = [
        Attachment(filename=name, content_type=content_type, data=bytes(payload), origin="tnef")
        for name, content_type, payload in entries
        if payload
    ]
    if entries and not files:
        raise TnefError("every file inside it is empty")
    return files


def _filename(entry, index: int) -> str:
    try:
        name = entry.long_filename()
    except UnicodeDecodeError:
        # tnefparse reads the short title as UTF-8, but Outlook writes it in the OEM code page.
        raw = getattr(entry, "_name", b"")
        name = raw.decode("cp1252", "replace").strip("\x00") if isinstance(raw, bytes) else str(raw)
    if isinstance(name, bytes):
        name = name.decode("cp1252", "replace")
    name = str(name).strip("\x00 ").replace("\\", "/").rsplit("/", 1)[-1]
    return name or f"attachment-{index}"


def _content_type(entry) -> str:
    # Outlook records the MIME type in PR_ATTACH_MIME_TAG (0x370E) only now and then.
    for attribute in getattr(entry, "mapi_attrs", []):
        if attribute.name == 0x370E and isinstance(attribute.data, str) and "/" in attribute.data:
            return attribute.data.strip().lower()
    guessed, _ = mimetypes.guess_type(_filename(entry, 0))
    return guessed or "application/octet-stream"
