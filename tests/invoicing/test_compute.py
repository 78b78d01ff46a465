"""From request to Document: VAT cases, rounding, mentions, terms, deposits and credit notes."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from gateway.config import load_config
from invoicing.compute import build_credit_note, build_document, reference_of
from invoicing.document_json import DocumentJsonError, document_from_json, document_to_json
from invoicing.request import RequestError, parse_request

CONFIG = load_config(environ={})
ISSUE = date(2026, 11, 26)
FR_BUSINESS = {
    "name": "Client Industrie SAS", "address": ["12 avenue du Client"], "postcode": "33000", "city": "Bordeaux",
    "siren": "552100554", "vat_number": "FR96552100554",
}
DE_BUSINESS = {"name": "Kunde GmbH", "address": ["Hauptstraße 5"], "postcode": "10115", "city": "Berlin",
               "country": "DE", "vat_number": "DE136695976"}
CH_BUSINESS = {"name": "Client Suisse SA", "address": ["Rue du Lac 3"], "postcode": "1201", "city": "Genève",
               "country": "CH", "consumer": False}
CONSUMER = {"name": "Paul Durand", "address": ["4 rue des Particuliers"], "postcode": "44000", "city": "Nantes",
            "consumer": True}
ONE_LINE = [{"description": "Prestation", "quantity": "2", "unit_price": "500.00"}]


def config_with(company: dict | None = None, invoicing: dict | None = None):
    return replace(
        CONFIG, company=replace(CONFIG.company, **(company or {})),
        invoicing=replace(CONFIG.invoicing, **(invoicing or {})),
    )


def build(request: dict, *, config=CONFIG, issue_date=ISSUE, number="FA2026-0001", deposits=()):
    return build_document(parse_request(request), config=config, number=number, issue_date=issue_date, deposits=deposits)


def joined(document) -> str:
    return "\n".join(document.mentions)


# ---------------------------------------------------------------------------------------------
# VAT cases: numbers and wording.

VAT_CASES = [
    # (name, company changes, buyer, operation, case, category, VAT on 1 000 HT, wording expected)
    ("standard B2B", {}, FR_BUSINESS, "services", "standard", "S", "200.00", ["40 €", "Banque centrale européenne"]),
    ("intra-EU goods", {}, DE_BUSINESS, "goods", "reverse_charge_eu", "K", "0.00", ["262 ter I du CGI", "Autoliquidation"]),
    ("intra-EU services", {}, DE_BUSINESS, "services", "reverse_charge_eu", "AE", "0.00", ["283-2 du CGI", "Autoliquidation"]),
    ("export goods", {}, CH_BUSINESS, "goods", "export", "G", "0.00", ["262 I du CGI"]),
    ("export services", {}, CH_BUSINESS, "services", "export", "G", "0.00", ["259-1° du CGI"]),
    ("franchise", {"vat_franchise": True}, FR_BUSINESS, "services", "franchise", "E", "0.00", ["293 B du CGI"]),
    ("B2C", {}, CONSUMER, "goods", "standard", "S", "200.00", ["taux légal", "1231-6 du Code civil"]),
]


@pytest.mark.parametrize(("name", "company", "buyer", "operation", "case", "category", "vat", "wording"), VAT_CASES)
def test_vat_case_is_derived_and_worded(name, company, buyer, operation, case, category, vat, wording):
    document = build({"buyer": buyer, "operation": operation, "lines": ONE_LINE}, config=config_with(company))
    assert document.vat_case == case
    assert [line.vat_category for line in document.lines] == [category]
    (total,) = document.tax_totals
    assert (total.vat_category, total.base, total.amount) == (category, Decimal("1000.00"), Decimal(vat))
    assert document.total_incl_tax == Decimal("1000.00") + Decimal(vat)
    for text in wording:
        assert text in joined(document), f"{name}: {text!r} missing"
    if category != "S":
        assert total.exemption_reason and total.exemption_reason in document.mentions
        assert total.rate == Decimal("0")


def test_b2c_has_no_indemnity_nor_penalty_rate():
    document = build({"buyer": CONSUMER, "lines": ONE_LINE})
    assert "40 €" not in joined(document)
    assert "Banque centrale" not in joined(document)
    assert document.buyer.consumer


def test_b2b_has_discount_penalty_and_indemnity_in_order():
    mentions = build({"buyer": FR_BUSINESS, "lines": ONE_LINE}).mentions
    assert mentions[0] == "Pas d'escompte pour paiement anticipé."
    assert "L441-10" in mentions[1] and "40 €" in mentions[2]


def test_company_penalty_wording_replaces_the_default():
    config = config_with(invoicing={"late_penalty": "Pénalités de retard : trois fois le taux d'intérêt légal."})
    mentions = build({"buyer": FR_BUSINESS, "lines": ONE_LINE}, config=config).mentions
    assert "Pénalités de retard : trois fois le taux d'intérêt légal." in mentions
    assert not any("Banque centrale" in mention for mention in mentions)


def test_intra_eu_goods_carry_the_delivery_country_and_both_vat_numbers():
    document = build({"buyer": DE_BUSINESS, "operation": "goods", "lines": ONE_LINE})
    assert document.delivery_country == "DE"
    assert document.buyer.vat_number == "DE136695976" and document.seller.vat_number == "FR11123456782"


def test_mixed_intra_eu_sale_splits_goods_and_services_categories():
    lines = [{"description": "Machine", "unit_price": "800", "nature": "goods"},
             {"description": "Installation", "unit_price": "200", "nature": "services"}]
    document = build({"buyer": DE_BUSINESS, "operation": "mixed", "lines": lines})
    assert [total.vat_category for total in document.tax_totals] == ["AE", "K"]
    assert document.business_process == "M1"


def test_consumer_in_another_eu_country_pays_french_vat():
    buyer = DE_BUSINESS | {"vat_number": "", "consumer": True}
    assert build({"buyer": buyer, "lines": ONE_LINE}).vat_case == "standard"


def test_services_to_a_consumer_outside_the_eu_stay_taxed_in_france():
    buyer = CH_BUSINESS | {"consumer": True}
    assert build({"buyer": buyer, "operation": "services", "lines": ONE_LINE}).vat_case == "standard"


@pytest.mark.parametrize(
    ("request_changes", "company", "message"),
    [
        ({"vat_case": "standard"}, {"vat_franchise": True}, "seller is in the VAT franchise"),
        ({"vat_case": "franchise"}, {}, "seller is not in the VAT franchise"),
        ({"buyer": CH_BUSINESS, "lines": [{"description": "a", "unit_price": "1", "vat_rate": "20"}]}, {},
         "lines\\[1\\].vat_rate: 20 % given, but vat_case 'export' charges no VAT"),
        ({"lines": [{"description": "a", "unit_price": "1", "vat_rate": "0"}]}, {}, "lines\\[1\\].vat_rate: 0 needs"),
        ({"buyer": DE_BUSINESS, "operation": "mixed", "lines": [{"description": "a", "unit_price": "1"}]}, {},
         "lines\\[1\\].nature: say \"goods\" or \"services\""),
        ({"buyer": DE_BUSINESS}, {"vat_number": ""}, "needs the seller's VAT number"),
    ],
)
def test_vat_case_that_cannot_apply_is_refused(request_changes, company, message):
    request = {"buyer": FR_BUSINESS, "lines": ONE_LINE} | request_changes
    with pytest.raises(RequestError, match=message):
        build(request, config=config_with(company))


# ---------------------------------------------------------------------------------------------
# Several rates, rounding.

def test_several_rates_with_vat_rounded_once_per_rate():
    lines = [
        {"description": "Livre", "quantity": "3", "unit_price": "0.10", "vat_rate": "5.5"},
        {"description": "Livre 2", "quantity": "3", "unit_price": "0.10", "vat_rate": "5.5"},
        {"description": "Repas", "quantity": "3", "unit_price": "0.335", "vat_rate": "10"},
        {"description": "Conseil", "quantity": "1.5", "unit_price": "99.99", "vat_rate": "20"},
        {"description": "Presse", "quantity": "7", "unit_price": "1.15", "vat_rate": "2.1"},
    ]
    document = build({"buyer": FR_BUSINESS, "lines": lines})
    assert [line.total for line in document.lines] == [Decimal(v) for v in ("0.30", "0.30", "1.01", "149.99", "8.05")]
    breakdown = [(t.rate, t.base, t.amount) for t in document.tax_totals]
    assert breakdown == [
        (Decimal("20"), Decimal("149.99"), Decimal("30.00")),   # 29.998
        (Decimal("10"), Decimal("1.01"), Decimal("0.10")),      # 0.101
        (Decimal("5.5"), Decimal("0.60"), Decimal("0.03")),     # 0.033, not 2 × 0.02 per line
        (Decimal("2.1"), Decimal("8.05"), Decimal("0.17")),     # 0.16905
    ]
    assert document.total_excl_tax == Decimal("159.65")
    assert document.total_tax == Decimal("30.30")
    assert document.total_incl_tax == document.amount_due == Decimal("189.95")


def test_half_cent_rounds_up():
    document = build({"buyer": FR_BUSINESS, "lines": [{"description": "a", "quantity": "1", "unit_price": "0.125"}]})
    assert document.lines[0].total == Decimal("0.13")
    assert document.tax_totals[0].amount == Decimal("0.03")  # 0.026


# ---------------------------------------------------------------------------------------------
# Mentions, dates and terms.

def test_identity_mentions_come_from_the_config_and_the_request():
    config = config_with({"entrepreneur_individuel": True, "legal_form": "", "capital": "", "registration": "RM 69"})
    request = {
        "buyer": FR_BUSINESS | {"delivery_address": ["Entrepôt Sud", "33700 Mérignac"]},
        "purchase_order": "BC-118", "lines": ONE_LINE, "sale_date": "2026-11-20",
    }
    document = build(request, config=config)
    assert document.seller.entrepreneur_individuel and document.seller.registration == "RM 69"
    assert document.seller.siren == "123456782" and document.seller.siret == "12345678200010"
    assert document.buyer.siren == "552100554"
    assert document.delivery_address == ("Entrepôt Sud", "33700 Mérignac")
    assert document.purchase_order == "BC-118"
    assert document.sale_date == date(2026, 11, 20)
    assert document.iban == CONFIG.company.iban


def test_delivery_address_equal_to_billing_is_not_printed():
    buyer = FR_BUSINESS | {"delivery_address": ["12 avenue du Client", "33000 Bordeaux"]}
    assert build({"buyer": buyer, "lines": ONE_LINE}).delivery_address == ()


def test_sale_date_defaults_to_the_issue_date_and_a_period_is_kept():
    assert build({"buyer": FR_BUSINESS, "lines": ONE_LINE}).sale_date == ISSUE
    document = build({"buyer": FR_BUSINESS, "lines": ONE_LINE, "period": {"start": "2026-11-01", "end": "2026-11-30"}})
    assert document.sale_date is None and document.period_end == date(2026, 11, 30)


@pytest.mark.parametrize(("operation", "code"), [("goods", "B1"), ("services", "S1"), ("mixed", "M1")])
def test_nature_of_operation_gives_bt23(operation, code):
    assert build({"buyer": FR_BUSINESS, "operation": operation, "lines": ONE_LINE}).business_process == code


def test_vat_on_debits_is_printed_for_services_only():
    config = config_with({"vat_on_debits": True})
    services = build({"buyer": FR_BUSINESS, "operation": "services", "lines": ONE_LINE}, config=config)
    goods = build({"buyer": FR_BUSINESS, "operation": "goods", "lines": ONE_LINE}, config=config)
    assert "Option pour le paiement de la taxe d'après les débits" in services.mentions
    assert "Option pour le paiement de la taxe d'après les débits" not in goods.mentions


def test_payment_terms_default_from_config_and_give_the_due_date():
    document = build({"buyer": FR_BUSINESS, "lines": ONE_LINE})
    assert document.payment_terms == "30 jours" and document.due_date == date(2026, 12, 26)
    document = build({"buyer": FR_BUSINESS, "lines": ONE_LINE, "payment_terms": "45 jours fin de mois"})
    assert document.due_date == date(2027, 1, 31)
    assert document.warnings == ()


def test_terms_above_the_caps_warn_for_a_business_only():
    business = build({"buyer": FR_BUSINESS, "lines": ONE_LINE, "payment_terms": "90 jours"})
    consumer = build({"buyer": CONSUMER, "lines": ONE_LINE, "payment_terms": "90 jours"})
    assert any("L441-10" in warning for warning in business.warnings)
    assert not any("L441-10" in warning for warning in consumer.warnings)


def test_buyer_guessed_as_consumer_and_business_without_siren_are_warned():
    guessed = build({"buyer": {"name": "Paul"}, "lines": ONE_LINE})
    assert any("treated as a consumer" in warning for warning in guessed.warnings)
    no_siren = build({"buyer": {"name": "SARL Sans Siren", "consumer": False}, "lines": ONE_LINE})
    assert any("buyer.siren is a mandatory mention" in warning for warning in no_siren.warnings)


def test_english_document_adds_the_english_rendering():
    document = build({"buyer": DE_BUSINESS, "operation": "services", "language": "en", "lines": ONE_LINE})
    assert document.language == "en"
    assert "Autoliquidation (Reverse charge)" in document.mentions


# ---------------------------------------------------------------------------------------------
# Deposits.

ORDER = [
    {"description": "Mobilier", "quantity": "1", "unit_price": "1000.00", "vat_rate": "20"},
    {"description": "Livres", "quantity": "1", "unit_price": "200.00", "vat_rate": "5.5"},
]


def deposit_invoice(deposit: dict, number="AC2026-0001", issue_date=date(2026, 10, 1)):
    request = {"kind": "deposit", "buyer": FR_BUSINESS, "operation": "goods", "purchase_order": "BC-7",
               "lines": ORDER, "deposit": deposit, "payment_terms": "à réception"}
    return build(request, number=number, issue_date=issue_date)


def test_deposit_invoice_by_percent_taxes_each_rate():
    deposit = deposit_invoice({"percent": "30"})
    assert deposit.kind == "deposit" and deposit.type_code == "386"
    assert [(t.rate, t.base, t.amount) for t in deposit.tax_totals] == [
        (Decimal("20"), Decimal("300.00"), Decimal("60.00")), (Decimal("5.5"), Decimal("60.00"), Decimal("3.30")),
    ]
    assert deposit.total_incl_tax == deposit.amount_due == Decimal("423.30")
    assert deposit.lines[0].description == "Acompte de 30 % sur la commande n° BC-7 (TVA 20 %)"
    assert any("TVA exigible à l'encaissement" in mention for mention in deposit.mentions)
    assert deposit.due_date == date(2026, 10, 1) and deposit.sale_date is None
    assert deposit.extra["order_total_excl_tax"] == "1200.00"


@pytest.mark.parametrize("amount", ["1000.00", "333.33", "0.01", "1266.99", "77.77"])
def test_deposit_amount_ttc_is_split_exactly(amount):
    deposit = deposit_invoice({"amount": amount, "basis": "TTC"})
    assert deposit.total_incl_tax == Decimal(amount)
    assert sum(line.total for line in deposit.lines) == deposit.total_excl_tax


def test_deposit_amount_ht_is_split_pro_rata_of_the_bases():
    deposit = deposit_invoice({"amount": "100.00", "basis": "HT"})
    assert [t.base for t in deposit.tax_totals] == [Decimal("83.33"), Decimal("16.67")]
    assert deposit.total_excl_tax == Decimal("100.00")


def test_deposit_not_below_the_order_is_refused():
    with pytest.raises(RequestError, match="not below the order's total TTC"):
        deposit_invoice({"amount": "1411.00"})


def final_request(**changes) -> dict:
    return {"buyer": FR_BUSINESS, "operation": "goods", "purchase_order": "BC-7", "lines": ORDER,
            "deposits": ["AC2026-0001"]} | changes


def test_final_invoice_deducts_the_deposit_per_rate():
    deposit = deposit_invoice({"percent": "30"})
    final = build(final_request(), deposits=[reference_of(deposit)])
    assert final.total_excl_tax == Decimal("1200.00") and final.total_tax == Decimal("211.00")
    assert final.total_incl_tax == Decimal("1411.00")
    assert final.amount_due == Decimal("1411.00") - Decimal("423.30")
    (cited,) = final.deposits
    assert (cited.number, cited.issue_date) == ("AC2026-0001", date(2026, 10, 1))
    assert [(t.rate, t.base, t.amount) for t in cited.tax_totals] == [
        (Decimal("20"), Decimal("300.00"), Decimal("60.00")), (Decimal("5.5"), Decimal("60.00"), Decimal("3.30")),
    ]
    assert final.business_process == "B4"


def test_two_deposits_are_both_deducted():
    first = deposit_invoice({"percent": "30"})
    second = deposit_invoice({"amount": "200.00"}, number="AC2026-0002", issue_date=date(2026, 10, 15))
    final = build(final_request(deposits=["AC2026-0001", "AC2026-0002"]),
                  deposits=[reference_of(first), reference_of(second)])
    assert final.amount_due == Decimal("1411.00") - Decimal("423.30") - Decimal("200.00")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deposits": ["AC2026-0009"]}, "the request lists AC2026-0009 but AC2026-0001 were resolved"),
        ({"lines": [ORDER[0]]}, "has VAT S 5.5 %, which this invoice has not"),
        ({"lines": [ORDER[0] | {"unit_price": "100"}, ORDER[1]]}, "exceed this invoice's base"),
    ],
)
def test_deposit_that_does_not_fit_the_final_invoice_is_refused(changes, message):
    deposit = deposit_invoice({"percent": "30"})
    with pytest.raises(RequestError, match=message):
        build(final_request(**changes), deposits=[reference_of(deposit)])


def test_deposit_dated_after_the_final_invoice_is_refused():
    deposit = deposit_invoice({"percent": "30"}, issue_date=date(2026, 12, 1))
    with pytest.raises(RequestError, match="dated after this invoice"):
        build(final_request(), deposits=[reference_of(deposit)])


# ---------------------------------------------------------------------------------------------
# Credit notes.

def two_rate_invoice():
    return build({"buyer": FR_BUSINESS, "operation": "goods", "lines": ORDER, "sale_date": "2026-11-20"})


def credit(original, amount, basis="HT", **kwargs):
    return build_credit_note(original, config=CONFIG, number="AV2026-0001", issue_date=date(2026, 12, 3),
                             amount=None if amount is None else Decimal(amount), basis=basis,
                             reason="Retour de marchandise", **kwargs)


def test_full_credit_note_mirrors_the_invoice_and_cites_it():
    original = two_rate_invoice()
    note = credit(original, None, "TTC")
    assert note.kind == "credit_note" and note.type_code == "381"
    assert note.lines == original.lines and note.tax_totals == original.tax_totals
    assert note.total_incl_tax == note.amount_due == original.total_incl_tax
    assert (note.corrects.number, note.corrects.issue_date) == (original.number, original.issue_date)
    assert note.credit_basis == "TTC"
    assert any("toutes taxes comprises (TTC)" in mention for mention in note.mentions)
    assert note.due_date is None and note.notes == "Retour de marchandise"


def test_partial_credit_ht_is_split_pro_rata_and_sums_exactly():
    note = credit(two_rate_invoice(), "100.00", "HT")
    assert [(t.rate, t.base, t.amount) for t in note.tax_totals] == [
        (Decimal("20"), Decimal("83.33"), Decimal("16.67")), (Decimal("5.5"), Decimal("16.67"), Decimal("0.92")),
    ]
    assert note.total_excl_tax == Decimal("100.00")
    assert sum(line.total for line in note.lines) == Decimal("100.00")
    assert any("hors taxes (HT)" in mention for mention in note.mentions)
    assert note.credit_basis == "HT" and note.corrects.tax_totals == note.tax_totals


@pytest.mark.parametrize("cents", range(1, 141100, 9973))
def test_partial_credit_ttc_always_sums_to_the_amount_asked(cents):
    amount = Decimal(cents) / 100
    note = credit(two_rate_invoice(), str(amount), "TTC")
    assert note.total_incl_tax == amount
    for total in note.tax_totals:
        # Within the one-unit tolerance of EN16931 BR-CO-17, and in practice within a cent.
        assert abs(total.amount - (total.base * total.rate / 100)) <= Decimal("0.01")


def test_credit_above_what_remains_is_refused():
    original = two_rate_invoice()
    first = credit(original, "1000.00", "HT")
    with pytest.raises(RequestError, match="more than the 200.00 HT that remains creditable"):
        credit(original, "200.01", "HT", already_credited=[first.corrects])
    rest = credit(original, None, "HT", already_credited=[first.corrects])
    assert rest.total_excl_tax == Decimal("200.00")


def test_full_credit_of_a_final_invoice_leaves_the_deposits_to_their_own_credit_notes():
    deposit = deposit_invoice({"percent": "30"})
    final = build(final_request(), deposits=[reference_of(deposit)])
    note = credit(final, None, "TTC")
    assert note.total_incl_tax == final.amount_due == Decimal("987.70")
    assert note.deposits == ()


def test_credit_note_of_a_franchise_invoice_keeps_the_exemption_wording():
    original = build({"buyer": FR_BUSINESS, "lines": ONE_LINE}, config=config_with({"vat_franchise": True}))
    note = credit(original, "250", "TTC")
    assert note.tax_totals[0].exemption_reason == "TVA non applicable, art. 293 B du CGI"
    assert "TVA non applicable, art. 293 B du CGI" in note.mentions
    assert note.total_incl_tax == Decimal("250.00") and note.total_tax == Decimal("0.00")


@pytest.mark.parametrize(
    ("amount", "basis", "message"),
    [("-5", "HT", "must be positive"), ("10", "TVA", "expected HT or TTC")],
)
def test_bad_credit_request_is_refused(amount, basis, message):
    with pytest.raises(RequestError, match=message):
        credit(two_rate_invoice(), amount, basis)


def test_a_credit_note_cannot_be_credited():
    note = credit(two_rate_invoice(), None)
    with pytest.raises(RequestError, match="is a credit note"):
        credit(note, None)


# ---------------------------------------------------------------------------------------------
# Canonical JSON.

def test_json_round_trip_is_exact_for_every_kind():
    deposit = deposit_invoice({"percent": "30"})
    final = build(final_request(), deposits=[reference_of(deposit)])
    documents = [two_rate_invoice(), deposit, final, credit(final, "99.99", "TTC")]
    for document in documents:
        data = document_to_json(document)
        assert document_from_json(data) == document
        assert data["total_incl_tax"] == str(document.total_incl_tax)
    assert document_to_json(deposit)["tax_totals"][1]["amount"] == "3.30"
    assert document_to_json(final)["deposits"][0]["issue_date"] == "2026-10-01"


def test_json_is_plain_json():
    import json

    text = json.dumps(document_to_json(two_rate_invoice()), sort_keys=True)
    assert document_from_json(json.loads(text)) == two_rate_invoice()


@pytest.mark.parametrize(
    ("change", "message"),
    [({"total_tax": 1.5}, "document.total_tax: expected Decimal"), ({"issue_date": "hier"}, "not a valid date"),
     ({"colour": "red"}, "unknown field"), ({"format": 99}, "unknown format")],
)
def test_bad_json_is_refused_naming_the_field(change, message):
    with pytest.raises(DocumentJsonError, match=message):
        document_from_json(document_to_json(two_rate_invoice()) | change)


def test_bad_configured_payment_terms_are_named():
    config = config_with(invoicing={"payment_terms": "quand il veut"})
    with pytest.raises(RequestError, match="invoicing.payment_terms \\(config\\)"):
        build({"buyer": FR_BUSINESS, "lines": ONE_LINE}, config=config)


def test_rates_are_normalised_on_lines_and_breakdown():
    document = build({"buyer": FR_BUSINESS, "lines": [{"description": "a", "unit_price": "10", "vat_rate": "20.00"},
                                                      {"description": "b", "unit_price": "10", "vat_rate": "5.50"}]})
    assert [str(line.vat_rate) for line in document.lines] == ["20", "5.5"]
    assert [str(total.rate) for total in document.tax_totals] == ["20", "5.5"]
