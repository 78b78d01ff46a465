"""Parts of the request JSON beyond buyer and lines: sale date or period, deposits asked or deducted."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from invoicing import request_fields as read
from invoicing.request_fields import RequestError


@dataclass(frozen=True)
class DepositRequest:
    """A deposit invoice asks for a percentage of the order, or an amount HT or TTC."""

    percent: Decimal | None = None
    amount: Decimal | None = None
    basis: str = "TTC"


def sale_dates(data: dict) -> tuple[date | None, date | None, date | None]:
    sale_date = read.iso_date(data["sale_date"], "sale_date") if data.get("sale_date") else None
    period = data.get("period")
    if period is None:
        return sale_date, None, None
    if sale_date is not None:
        raise RequestError("sale_date and period: give one or the other, not both")
    if not isinstance(period, dict) or set(period) != {"start", "end"}:
        raise RequestError("period: expected {\"start\": \"YYYY-MM-DD\", \"end\": \"YYYY-MM-DD\"}")
    start, end = read.iso_date(period["start"], "period.start"), read.iso_date(period["end"], "period.end")
    if end < start:
        raise RequestError(f"period: end {end.isoformat()} is before start {start.isoformat()}")
    return None, start, end


def deposit_numbers(data: dict, kind: str) -> tuple[str, ...]:
    numbers = data.get("deposits") or []
    if not isinstance(numbers, list) or not all(isinstance(item, str) and item.strip() for item in numbers):
        raise RequestError("deposits: expected a list of deposit invoice numbers, e.g. [\"AC2026-0001\"]")
    if numbers and kind == "deposit":
        raise RequestError("deposits: a deposit invoice cannot deduct other deposits")
    if len(set(numbers)) != len(numbers):
        raise RequestError("deposits: the same deposit invoice is listed twice")
    return tuple(item.strip() for item in numbers)


def deposit_request(data: dict, kind: str) -> DepositRequest | None:
    raw = data.get("deposit")
    if kind == "invoice":
        if raw is not None:
            raise RequestError("deposit: only for kind \"deposit\" (a final invoice lists \"deposits\")")
        return None
    if not isinstance(raw, dict) or len({"percent", "amount"} & set(raw)) != 1:
        raise RequestError("deposit: expected {\"percent\": \"30\"} or {\"amount\": \"600.00\", \"basis\": \"TTC\"}")
    read.reject_unknown(raw, {"percent", "amount", "basis"}, "deposit.")
    basis = read.choice(raw, "basis", ("HT", "TTC"), "deposit.", default="TTC")
    if "percent" in raw:
        percent = read.decimal(raw["percent"], "deposit.percent", places=4)
        if not 0 < percent < 100:
            raise RequestError(f"deposit.percent: expected more than 0 and less than 100, got {percent}")
        return DepositRequest(percent=percent, basis=basis)
    amount = read.decimal(raw["amount"], "deposit.amount", places=2)
    if amount <= 0:
        raise RequestError(f"deposit.amount: must be positive, got {amount}")
    return DepositRequest(amount=amount, basis=basis)
