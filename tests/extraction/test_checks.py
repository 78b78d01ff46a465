"""Table tests of the bill checks: each rule passing and failing, tolerance edges, confidence, French wording."""

from datetime import date
from decimal import Decimal as D

import pytest

from extraction.check_reasons import french_reason
from extraction.checks import Problem, adjust_confidence, check_bill
from extraction.model import Bill, Party, TaxLine

TODAY = date(2025, 6, 15)


def good_bill(**changes) -> Bill:
    """A French bill that passes every check; each test breaks one thing."""
    bill = Bill(
        kind="invoice", source="text", number="FA2025-0042", issue_date=date(2025, 6, 2),
        due_date=date(2025, 7, 2), currency="EUR",
        total_excl_tax=D("1000.00"), total_tax=D("200.00"), total_incl_tax=D("1200.00"),
        tax_lines=[TaxLine(D("20"), D("1000.00"), D("200.00"))],
        supplier=Party(name="Atelier Dupont", siren="123456782", siret="12345678200077",
                       vat_number="FR11123456782", iban="FR7630006000011234567890189", bic="AGRIFRPP"),
        buyer=Party(name="Client SARL", vat_number="FR44732829320"),
    )
    for name, value in changes.items():
        setattr(bill, name, value)
    return bill


def codes(bill: Bill) -> list[str]:
    return [problem.code for problem in check_bill(bill, today=TODAY)]


def test_a_consistent_bill_has_no_problem():
    assert check_bill(good_bill(), today=TODAY) == []


@pytest.mark.parametrize("amount, passes", [
    (D("200.00"), True), (D("200.01"), True), (D("199.99"), True),   # one cent of rounding: accepted
    (D("200.02"), False), (D("199.98"), False),                     # two cents on one line: refused
])
def test_a_tax_line_may_be_one_cent_off_base_times_rate(amount, passes):
    bill = good_bill(tax_lines=[TaxLine(D("20"), D("1000.00"), amount)], total_tax=amount,
                     total_incl_tax=D("1000.00") + amount)
    assert ("tax_line_mismatch" not in codes(bill)) is passes


def test_tax_line_rounds_half_up():
    # 10 % of 0.25 is 0.025: half up gives 0.03, so 0.03 is exact and 0.04 one cent off.
    bill = good_bill(tax_lines=[TaxLine(D("10"), D("0.25"), D("0.03"))], total_excl_tax=D("0.25"),
                     total_tax=D("0.03"), total_incl_tax=D("0.28"))
    assert codes(bill) == []


@pytest.mark.parametrize("incl, lines, passes", [
    (D("1200.01"), 1, True), (D("1200.02"), 1, False),
    (D("1200.02"), 2, True), (D("1200.03"), 2, False),
    (D("1200.03"), 3, True), (D("1199.97"), 3, True), (D("1200.04"), 3, False),
])
def test_totals_tolerance_grows_with_the_number_of_tax_lines(incl, lines, passes):
    split = [TaxLine(D("20"), D("1000.00") / lines, D("200.00") / lines) for _ in range(lines)]
    bill = good_bill(total_incl_tax=incl, tax_lines=split)
    assert ("totals_mismatch" not in codes(bill)) is passes


def test_totals_mismatch_is_reported_with_both_amounts_in_french():
    bill = good_bill(total_incl_tax=D("1200.00"), total_tax=D("199.99"),
                     tax_lines=[TaxLine(D("20"), D("1000.00"), D("199.99"))], total_excl_tax=D("999.98"))
    [problem] = [p for p in check_bill(bill, today=TODAY) if p.code == "totals_mismatch"]
    assert problem.field == "total_incl_tax"
    assert french_reason(problem).replace("\u202f", " ").replace("\xa0", " ") == (
        "Le total TTC (1 200,00 €) ne correspond pas à HT + TVA (1 199,97 €).")


@pytest.mark.parametrize("line_amounts, total_tax, expected", [
    ((D("2.20"), D("2.70")), D("4.90"), []),
    ((D("2.20"), D("2.70")), D("4.92"), []),                          # two lines: two cents allowed
    ((D("2.20"), D("2.70")), D("4.93"), ["tax_lines_sum_mismatch"]),
])
def test_tax_lines_must_add_up_to_the_total_vat(line_amounts, total_tax, expected):
    lines = [TaxLine(D("20"), D("11.00"), line_amounts[0]), TaxLine(D("10"), D("27.00"), line_amounts[1])]
    bill = good_bill(tax_lines=lines, total_excl_tax=D("38.00"), total_tax=total_tax,
                     total_incl_tax=D("38.00") + total_tax)
    assert codes(bill) == expected


def test_tax_bases_must_add_up_to_the_total_excluding_tax():
    lines = [TaxLine(D("20"), D("11.00"), D("2.20")), TaxLine(D("0"), D("60.00"), D("0.00"))]
    bill = good_bill(tax_lines=lines, total_excl_tax=D("81.00"), total_tax=D("2.20"), total_incl_tax=D("83.20"))
    assert codes(bill) == ["tax_bases_sum_mismatch"]


def test_credit_note_with_negative_amounts_adds_up():
    bill = good_bill(kind="credit_note", total_excl_tax=D("-100.00"), total_tax=D("-20.00"),
                     total_incl_tax=D("-120.00"), tax_lines=[TaxLine(D("20"), D("-100.00"), D("-20.00"))])
    assert codes(bill) == []


@pytest.mark.parametrize("missing", ["number", "issue_date", "total_incl_tax"])
def test_missing_key_field_is_a_problem(missing):
    bill = good_bill(**{missing: None})
    problems = check_bill(bill, today=TODAY)
    assert [(p.code, p.field) for p in problems] == [("missing_field", missing)]
    assert "introuvable" in french_reason(problems[0])


@pytest.mark.parametrize("party, expected", [
    (Party(siren="123456782"), []),
    (Party(siren="123 456 782"), []),
    (Party(siren="123456789"), ["invalid_siren"]),
    (Party(siret="12345678200077"), []),
    (Party(siret="12345678200078"), ["invalid_siret"]),
    (Party(siren="123456782", siret="73282932000074"), ["siret_siren_mismatch"]),
    (Party(vat_number="FR 11 123 456 782"), []),
    (Party(vat_number="FR12123456782"), ["invalid_vat_number"]),
    (Party(siren="732829320", vat_number="FR11123456782"), ["vat_siren_mismatch"]),
    (Party(siret="12345678200077", vat_number="FR11123456782"), []),
    (Party(vat_number="DE136695976"), []),
    (Party(vat_number="DE123456789"), ["invalid_vat_number"]),
    (Party(vat_number="NL810433941B01"), []),
    (Party(vat_number="CHE-123.456.788 MWST"), []),                 # not an EU scheme: not judged
    (Party(iban="FR76 3000 6000 0112 3456 7890 189"), []),
    (Party(iban="FR7630006000011234567890188"), ["invalid_iban"]),
    (Party(iban="FR76300060"), ["invalid_iban"]),
    (Party(bic="BNPAFRPPXXX"), []),
    (Party(bic="BNP"), ["invalid_bic"]),
])
def test_supplier_identifiers(party, expected):
    assert codes(good_bill(supplier=party)) == expected


@pytest.mark.parametrize("party, wording", [
    (Party(siren="12345"), "n'a pas une forme valide"),
    (Party(siren="123456789"), "clé de contrôle ne correspond pas"),
    (Party(vat_number="DE0815"), "n'a pas une forme valide"),
    (Party(iban="FR7630006000011234567890188"), "clé de contrôle ne correspond pas"),
])
def test_french_reason_tells_a_misread_key_from_a_malformed_number(party, wording):
    [problem] = check_bill(good_bill(supplier=party), today=TODAY)
    assert wording in french_reason(problem)
    assert "du fournisseur" in french_reason(problem)


def test_buyer_identifiers_are_checked_under_the_buyer_field():
    problems = check_bill(good_bill(buyer=Party(vat_number="FR12123456782")), today=TODAY)
    assert [(p.code, p.field) for p in problems] == [("invalid_vat_number", "buyer.vat_number")]
    assert "du client" in french_reason(problems[0])


@pytest.mark.parametrize("issued, due, expected", [
    (date(2025, 6, 16), None, []),                                  # tomorrow: time zones allow it
    (date(2025, 6, 17), None, ["issue_date_in_future"]),
    (date(2000, 1, 1), None, []),
    (date(1999, 12, 31), None, ["issue_date_too_old"]),
    (date(2025, 6, 2), date(2025, 6, 2), []),
    (date(2025, 6, 2), date(2025, 6, 1), ["due_before_issue"]),
    (date(2025, 6, 2), date(2027, 6, 2), []),
    (date(2025, 6, 2), date(2027, 7, 2), ["due_date_too_late"]),
])
def test_dates_must_be_plausible(issued, due, expected):
    assert codes(good_bill(issue_date=issued, due_date=due)) == expected


@pytest.mark.parametrize("currency, expected", [
    ("EUR", []), ("GBP", []), ("CHF", []), ("XYZ", ["unknown_currency"]), ("€", ["unknown_currency"]),
])
def test_currency_must_be_iso_4217(currency, expected):
    assert codes(good_bill(currency=currency)) == expected


def test_missing_currency_is_a_warning_that_euros_are_assumed():
    [problem] = check_bill(good_bill(currency=None), today=TODAY)
    assert (problem.code, problem.severity) == ("currency_missing", "warning")
    assert "euros" in french_reason(problem)


def test_failed_vat_key_lowers_that_field_confidence_most_after_ocr():
    for source, cap in (("ocr", 0.3), ("text", 0.6)):
        bill = good_bill(supplier=Party(vat_number="FR12123456782"), source=source)
        bill.confidence = {"supplier.vat_number": 0.9, "number": 0.9}
        adjust_confidence(bill, check_bill(bill, today=TODAY))
        assert bill.confidence["supplier.vat_number"] == cap
        assert bill.confidence["number"] == 0.9


def test_totals_that_add_up_exactly_become_sure_for_a_visual_read():
    bill = good_bill()
    bill.confidence = {"total_excl_tax": 0.6, "total_tax": 0.7, "total_incl_tax": 0.99}
    adjust_confidence(bill, check_bill(bill, today=TODAY))
    assert bill.confidence == {"total_excl_tax": 0.95, "total_tax": 0.95, "total_incl_tax": 0.99, "tax_lines": 0.95}


def test_totals_within_tolerance_but_not_exact_are_not_raised():
    bill = good_bill(total_incl_tax=D("1200.01"))
    bill.confidence = {"total_excl_tax": 0.6, "total_tax": 0.6, "total_incl_tax": 0.6}
    adjust_confidence(bill, check_bill(bill, today=TODAY))
    assert bill.confidence["total_incl_tax"] == 0.6


def test_structured_sources_keep_their_confidence():
    bill = good_bill(source="facturx")
    bill.confidence = {"total_excl_tax": 1.0, "total_tax": 1.0, "total_incl_tax": 1.0}
    adjust_confidence(bill, check_bill(bill, today=TODAY))
    assert bill.confidence == {"total_excl_tax": 1.0, "total_tax": 1.0, "total_incl_tax": 1.0}


def test_totals_mismatch_lowers_all_three_totals():
    bill = good_bill(total_incl_tax=D("1250.00"))
    bill.confidence = {"total_excl_tax": 0.9, "total_tax": 0.9, "total_incl_tax": 0.9}
    adjust_confidence(bill, check_bill(bill, today=TODAY))
    assert bill.confidence == {"total_excl_tax": 0.5, "total_tax": 0.5, "total_incl_tax": 0.5}


def test_every_problem_code_has_a_french_wording():
    bill = Bill(number=None, issue_date=date(1990, 1, 1), due_date=date(1989, 1, 1), currency="XYZ",
                total_excl_tax=D("10"), total_tax=D("3"), total_incl_tax=D("12"),
                tax_lines=[TaxLine(D("20"), D("11"), D("3"))],
                supplier=Party(siren="123456789", siret="12345678200078", vat_number="FR00123456789",
                               iban="FR7630006000011234567890188", bic="X"))
    for problem in check_bill(bill, today=TODAY):
        assert french_reason(problem) != problem.message, problem.code


def test_unknown_problem_code_falls_back_to_english():
    assert french_reason(Problem("something_new", "number", "a new check failed")) == "a new check failed"


def test_a_total_derived_from_the_other_two_does_not_become_sure():
    bill = good_bill()
    bill.derived = {"total_tax"}
    bill.confidence = {"total_excl_tax": 0.9, "total_tax": 0.6, "total_incl_tax": 0.9}
    adjust_confidence(bill, check_bill(bill, today=TODAY))
    assert bill.confidence["total_tax"] == 0.6
