"""Loads the dated legal wording (config/legal_texts.toml) and picks the entry valid on a date."""

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from gateway.resources import resource_dir

# Every key the computation asks for; a file missing one of them is refused at load time.
REQUIRED_KEYS = (
    "franchise", "intra_eu_goods", "reverse_charge_services", "autoliquidation", "export_goods",
    "export_services", "vat_on_debits", "deposit_vat", "late_penalty_b2b", "recovery_indemnity",
    "consumer_late_payment", "credit_note_ht", "credit_note_ttc",
)
ENTRY_FIELDS = {"valid_from", "valid_until", "text", "en", "source", "review_by"}


class LegalTextsError(ValueError):
    """The legal texts file is unreadable or incomplete; the message names the file and key."""


@dataclass(frozen=True)
class LegalText:
    key: str
    text: str
    valid_from: date
    valid_until: date | None = None
    en: str = ""
    source: str = ""
    review_by: date | None = None

    def wording(self, language: str = "fr") -> str:
        """French first; an English document adds the English rendering after it."""
        if language == "en" and self.en:
            return f"{self.text} ({self.en})"
        return self.text


@dataclass(frozen=True)
class LegalTexts:
    path: str
    entries: dict[str, tuple[LegalText, ...]]

    def get(self, key: str, on: date) -> LegalText:
        """The entry of `key` valid on `on`: the latest valid_from not after it."""
        candidates = [
            entry for entry in self.entries.get(key, ())
            if entry.valid_from <= on and (entry.valid_until is None or on <= entry.valid_until)
        ]
        if not candidates:
            raise LegalTextsError(f"{self.path}: no entry of [[{key}]] is valid on {on.isoformat()}")
        return max(candidates, key=lambda entry: entry.valid_from)


def default_path() -> Path:
    return resource_dir("config") / "legal_texts.toml"


def load_legal_texts(path: str | Path | None = None) -> LegalTexts:
    """Read and check the file (the shipped one when `path` is empty); cached per file version."""
    resolved = Path(path) if path else default_path()
    try:
        stamp = resolved.stat().st_mtime_ns
    except OSError:
        raise LegalTextsError(f"legal texts file not found: {resolved}") from None
    return _load(str(resolved), stamp)


@lru_cache(maxsize=8)
def _load(path: str, _stamp: int) -> LegalTexts:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LegalTextsError(f"{path}: cannot read legal texts: {error}") from None
    entries = {key: tuple(_entries(path, key, value)) for key, value in data.items()}
    missing = [key for key in REQUIRED_KEYS if not entries.get(key)]
    if missing:
        raise LegalTextsError(f"{path}: missing entries for {', '.join(missing)}")
    return LegalTexts(path=path, entries=entries)


def _entries(path: str, key: str, value: object) -> list[LegalText]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise LegalTextsError(f"{path}: {key} must be a list of [[{key}]] tables")
    return [_entry(path, key, item) for item in value]


def _entry(path: str, key: str, item: dict) -> LegalText:
    where = f"{path}: [[{key}]]"
    unknown = set(item) - ENTRY_FIELDS
    if unknown:
        raise LegalTextsError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    if not isinstance(item.get("text"), str) or not item["text"].strip():
        raise LegalTextsError(f"{where}: text must be a non-empty string")
    for name in ("valid_from", "valid_until", "review_by"):
        if name in item and not _is_date(item[name]):
            raise LegalTextsError(f"{where}: {name} must be a date like 2026-09-01, got {item[name]!r}")
    if "valid_from" not in item:
        raise LegalTextsError(f"{where}: valid_from is required")
    if item.get("valid_until") and item["valid_until"] < item["valid_from"]:
        raise LegalTextsError(f"{where}: valid_until is before valid_from")
    return LegalText(
        key=key, text=item["text"].strip(), valid_from=item["valid_from"],
        valid_until=item.get("valid_until"), en=str(item.get("en", "")), source=str(item.get("source", "")),
        review_by=item.get("review_by"),
    )


def _is_date(value: object) -> bool:
    # TOML dates load as datetime.date; a datetime (a subclass) would carry a time: refused.
    return isinstance(value, date) and type(value) is date
