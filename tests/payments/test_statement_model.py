"""The fingerprint that keeps a statement line from being counted twice."""

from datetime import date
from decimal import Decimal

from payments.statement_model import StatementLine

LINE = StatementLine(date(2026, 11, 3), Decimal("1200.00"), "VIR DURAND", "FA2026-0012", "DURAND SARL", "B-1")


def test_the_fingerprint_is_a_stable_sha256_whatever_the_amount_scale():
    same = StatementLine(date(2026, 11, 3), Decimal("1200"), "VIR DURAND", "FA2026-0012", "DURAND SARL", "B-1")
    assert LINE.fingerprint() == same.fingerprint()
    assert len(LINE.fingerprint()) == 64 and int(LINE.fingerprint(), 16) >= 0


def test_each_identifying_field_changes_the_fingerprint():
    others = [
        StatementLine(date(2026, 11, 4), Decimal("1200.00"), "VIR DURAND", "FA2026-0012", bank_id="B-1"),
        StatementLine(date(2026, 11, 3), Decimal("1200.01"), "VIR DURAND", "FA2026-0012", bank_id="B-1"),
        StatementLine(date(2026, 11, 3), Decimal("1200.00"), "VIR DURAN", "FA2026-0012", bank_id="B-1"),
        StatementLine(date(2026, 11, 3), Decimal("1200.00"), "VIR DURAND", "FA2026-0013", bank_id="B-1"),
        StatementLine(date(2026, 11, 3), Decimal("1200.00"), "VIR DURAND", "FA2026-0012", bank_id="B-2"),
    ]
    assert len({line.fingerprint() for line in others} | {LINE.fingerprint()}) == 6


def test_the_counterparty_alone_does_not_change_the_fingerprint():
    # Formats name the payer differently (or not at all) for the same movement.
    renamed = StatementLine(LINE.booked_on, LINE.amount, LINE.label, LINE.reference, "Durand", LINE.bank_id)
    assert renamed.fingerprint() == LINE.fingerprint()


def test_a_separator_inside_a_field_cannot_make_two_lines_collide():
    left = StatementLine(date(2026, 11, 3), Decimal("1"), "A|B", "C")
    right = StatementLine(date(2026, 11, 3), Decimal("1"), "A", "B|C")
    assert left.fingerprint() != right.fingerprint()
