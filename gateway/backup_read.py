"""Reading a backup: the manifest checked against its checksum, each table checked against the manifest."""

import gzip
import json
import tarfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from gateway.backup_format import (
    CHUNK, FORMAT_NAME, FORMAT_VERSION, MANIFEST, MANIFEST_CHECKSUM, BackupError, HashingReader, sha256_hex,
)


def read_manifest(path: Path) -> dict:
    """The manifest, once its checksum and its format are right; BackupError otherwise."""
    with _open_tar(path) as tar:
        data = _member_bytes(tar, MANIFEST)
        recorded = _member_bytes(tar, MANIFEST_CHECKSUM).decode("ascii", "replace").split()[:1]
    if recorded != [sha256_hex(data)]:
        raise BackupError(f"{path}: the manifest does not match its checksum (the file is damaged)")
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise BackupError(f"{path}: the manifest is not JSON ({error})") from None
    if manifest.get("format") != FORMAT_NAME:
        raise BackupError(f"{path}: not a gateway backup (format {manifest.get('format')!r})")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path}: backup format version {manifest.get('format_version')} is not readable "
                          f"by this gateway (it reads version {FORMAT_VERSION})")
    return manifest


def verify_members(path: Path, manifest: dict) -> None:
    """Hash every table member as stored; the first one that differs from the manifest is named."""
    with _open_tar(path) as tar:
        for entry in manifest["tables"]:
            digest = HashingReader(_member_stream(tar, entry["member"]))
            try:
                while digest.read(CHUNK):
                    pass
            except (OSError, tarfile.TarError) as error:
                raise BackupError(f"{path}: table {entry['name']} cannot be read ({error})") from None
            if digest.hash.hexdigest() != entry["sha256"]:
                raise BackupError(f"{path}: table {entry['name']} is damaged (its sha256 differs from the manifest)")


def table_rows(path: Path, entry: dict) -> Iterator[list]:
    """The rows of one table, decoded from JSON, checked once more against the manifest at the end."""
    with _open_tar(path) as tar:
        reader = HashingReader(_member_stream(tar, entry["member"]))
        count = 0
        try:
            with gzip.GzipFile(fileobj=reader, mode="rb") as lines:
                for line in lines:
                    count += 1
                    yield json.loads(line)
        except (OSError, EOFError, zlib.error, ValueError, tarfile.TarError) as error:
            raise BackupError(f"{path}: table {entry['name']} cannot be read ({error})") from None
        while reader.read(CHUNK):
            pass
        if reader.hash.hexdigest() != entry["sha256"] or count != entry["rows"]:
            raise BackupError(f"{path}: table {entry['name']} changed while it was read or is damaged")


def _open_tar(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r:")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{path}: not a readable backup tar file ({error})") from None


def _member_stream(tar: tarfile.TarFile, name: str):
    try:
        stream = tar.extractfile(name)
    except (KeyError, tarfile.TarError) as error:
        raise BackupError(f"backup member {name} is missing or damaged ({error})") from None
    if stream is None:
        raise BackupError(f"backup member {name} is not a file")
    return stream


def _member_bytes(tar: tarfile.TarFile, name: str) -> bytes:
    return _member_stream(tar, name).read()
