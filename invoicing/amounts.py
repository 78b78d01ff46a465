"""Money arithmetic of invoices: rounding to the cent and splitting an amount exactly across rates."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(value: Decimal) -> Decimal:
    """Round half up to the cent, the rule of EN16931 and of French practice."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_of(base: Decimal, rate: Decimal) -> Decimal:
    """VAT of one rate's base, computed once on the base (EN16931 BR-CO-17), never per line."""
    return to_cents(base * rate / 100)


def split_exactly(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Share `amount` pro rata of `weights` in cents that add up to `amount` exactly.

    Each share is first rounded down to the cent; the cents left over go one by one to the
    shares with the largest remainders (ties: the earlier weight), so no cent is created or lost.
    """
    amount = to_cents(amount)
    total = sum(weights, Decimal(0))
    if total <= 0:
        raise ValueError("cannot split an amount across weights that sum to zero")
    cents = int(amount / CENT)
    raw = [Decimal(cents) * weight / total for weight in weights]
    floors = [int(share) for share in raw]
    left = cents - sum(floors)
    order = sorted(range(len(raw)), key=lambda index: (-(raw[index] - floors[index]), index))
    for index in order[:left]:
        floors[index] += 1
    return [Decimal(share) * CENT for share in floors]


def base_within(incl_tax: Decimal, rate: Decimal) -> Decimal:
    """The base HT contained in an amount TTC at one rate, rounded to the cent."""
    return to_cents(incl_tax * 100 / (100 + rate))
