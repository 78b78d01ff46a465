"""Loads the dated rates of late-payment law (config/legal_rates.toml) and answers per half-year."""

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from gateway.resources import resource_dir
from gateway.templating import NO_BREAK_SPACE

# For each key: the numbers an entry carries, then its other fields (the first ones required).
VALUES = {"ecb_refinancing": ("rate",), "legal_interest": ("consumer", "professional")}
OPTIONAL_FIELDS = {"ecb_refinancing": {"in_force_since"}, "legal_interest": set()}
LABELS = {
    "ecb_refinancing": ("Taux de refinancement de la BCE", "ECB refinancing rate"),
    "legal_interest": ("Taux de l'intérêt légal", "Legal interest rate"),
}


class LegalRatesError(ValueError):
    """The legal rates file is unreadable or incomplete; the message names the file and key."""


@dataclass(frozen=True)
class HalfYearRate:
    start: date               # 1 January or 1 July of the half-year asked about
    rate: Decimal             # percent per year
    configured_for: date      # valid_from of the entry used
    warning: str = ""         # "" when configured for this half-year; else French, then " / " English


@dataclass(frozen=True)
class RateEntry:
    valid_from: date
    values: dict[str, Decimal]
    source: str


@dataclass(frozen=True)
class LegalRates:
    path: str
    entries: dict[str, tuple[RateEntry, ...]]  # each sorted by valid_from

    def ecb_rate(self, day: date) -> HalfYearRate:
        """The ECB rate of the half-year of `day`: the one in force on its 1 January / 1 July."""
        return self._rate("ecb_refinancing", "rate", day)

    def legal_interest(self, day: date, consumer: bool = False) -> HalfYearRate:
        """The legal interest rate of the half-year of `day`; `consumer` when the creditor is one."""
        return self._rate("legal_interest", "consumer" if consumer else "professional", day)

    def _rate(self, key: str, value: str, day: date) -> HalfYearRate:
        start = half_year_start(day)
        earlier = [entry for entry in self.entries[key] if entry.valid_from <= start]
        if not earlier:
            raise LegalRatesError(f"{self.path}: no [[{key}]] entry on or before {start.isoformat()}")
        entry = earlier[-1]
        rate = entry.values[value]
        warning = "" if entry.valid_from == start else _unconfigured(key, start, entry.valid_from, rate)
        return HalfYearRate(start=start, rate=rate, configured_for=entry.valid_from, warning=warning)


def half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def percent_fr(rate: Decimal) -> str:
    """12.15 → « 12,15 % » (no-break space before the sign, as French typography wants)."""
    return f"{_shown(rate)}".replace(".", ",") + NO_BREAK_SPACE + "%"


def percent_en(rate: Decimal) -> str:
    return f"{_shown(rate)}%"


def _shown(rate: Decimal) -> Decimal:
    # Two decimals as the official rates have, more only when a contract rate carries them.
    return rate if -rate.normalize().as_tuple().exponent > 2 else rate.quantize(Decimal("0.01"))


def _unconfigured(key: str, start: date, used: date, rate: Decimal) -> str:
    french, english = LABELS[key]
    return (
        f"{french} du {_half_fr(start)} non configuré : celui du {_half_fr(used)} "
        f"({percent_fr(rate)}) est appliqué. / {english} for the {_half_en(start)} not configured: "
        f"the rate of the {_half_en(used)} ({percent_en(rate)}) is applied."
    )


def _half_fr(start: date) -> str:
    return f"{'1er' if start.month == 1 else '2e'} semestre {start.year}"


def _half_en(start: date) -> str:
    return f"{'first' if start.month == 1 else 'second'} half of {start.year}"


def default_path() -> Path:
    return resource_dir("config") / "legal_rates.toml"


def load_legal_rates(path: str | Path | None = None) -> LegalRates:
    """Read and check the file (the shipped one when `path` is empty); cached per file version."""
    resolved = Path(path) if path else default_path()
    try:
        stamp = resolved.stat().st_mtime_ns
    except OSError:
        raise LegalRatesError(f"legal rates file not found: {resolved}") from None
    return _load(str(resolved), stamp)


@lru_cache(maxsize=8)
def _load(path: str, _stamp: int) -> LegalRates:
    try:
        # Rates are read as Decimal straight from their text: 2.15 never becomes 2.1499999.
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LegalRatesError(f"{path}: cannot read legal rates: {error}") from None
    unknown = sorted(set(data) - set(VALUES))
    if unknown:
        raise LegalRatesError(f"{path}: unknown key(s) {', '.join(unknown)}")
    return LegalRates(path=path, entries={key: _entries(path, key, data.get(key)) for key in VALUES})


def _entries(path: str, key: str, value: object) -> tuple[RateEntry, ...]:
    if not value:
        raise LegalRatesError(f"{path}: missing entries for {key}")
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise LegalRatesError(f"{path}: {key} must be a list of [[{key}]] tables")
    entries = sorted((_entry(path, key, item) for item in value), key=lambda entry: entry.valid_from)
    for previous, entry in zip(entries, entries[1:]):
        if previous.valid_from == entry.valid_from:
            raise LegalRatesError(f"{path}: [[{key}]]: two entries for {entry.valid_from.isoformat()}")
    return tuple(entries)


def _entry(path: str, key: str, item: dict) -> RateEntry:
    where = f"{path}: [[{key}]]"
    required = {"valid_from", "source", *VALUES[key]}
    unknown = set(item) - required - OPTIONAL_FIELDS[key]
    if unknown:
        raise LegalRatesError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    missing = required - set(item)
    if missing:
        raise LegalRatesError(f"{where}: missing field(s) {', '.join(sorted(missing))}")
    valid_from = item["valid_from"]
    if not (type(valid_from) is date and valid_from.day == 1 and valid_from.month in (1, 7)):
        raise LegalRatesError(f"{where}: valid_from must be a 1 January or 1 July date, got {valid_from!r}")
    if not isinstance(item["source"], str) or not item["source"].strip():
        raise LegalRatesError(f"{where} {valid_from}: source must be a non-empty string")
    if "in_force_since" in item and type(item["in_force_since"]) is not date:
        raise LegalRatesError(f"{where} {valid_from}: in_force_since must be a date like 2025-06-11")
    return RateEntry(
        valid_from=valid_from,
        values={name: _percent(where, valid_from, name, item[name]) for name in VALUES[key]},
        source=item["source"].strip(),
    )


def _percent(where: str, valid_from: date, name: str, value: object) -> Decimal:
    # An int is a whole percent; a bool is an int to Python but never a rate.
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or not 0 <= value < 100:
        raise LegalRatesError(f"{where} {valid_from}: {name} must be a percent like 2.15, got {value!r}")
    return Decimal(value)
