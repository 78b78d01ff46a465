"""The emails of getting paid: every template renders in both languages with its exact context."""

from decimal import Decimal
from types import SimpleNamespace as Obj

import pytest

from gateway.templating import EmailTemplates

NNBSP, NBSP = "\u202f", "\u00a0"
HOSTILE = '<script>alert("x")</script><img src="http://tracker.example/p.png">'


def french_euros(text: str) -> str:
    """« 1 234,56 € » as the templates print it: narrow no-break space, no-break space before €."""
    return text.replace(" ", NNBSP) + NBSP + "€"


COMPANY = Obj(name="Atelier Martin SARL", email="compta@atelier-martin.fr", phone="01 23 45 67 89",
              iban="FR76 3000 4000 0312 3456 7890 143", bic="BNPAFRPPXXX", address="12 rue des Lilas",
              postcode="69003", city="Lyon")
B2B_PENALTY = Obj(amount=Decimal("12.62"), indemnity=Decimal("40.00"), total=Decimal("52.62"),
                  wording="Pénalités de retard au taux de 12,15 % l'an depuis le 28/10/2026 : 12,62 €, plus "
                          "l'indemnité forfaitaire de 40 € pour frais de recouvrement (art. L441-10 du Code de commerce).",
                  wording_en="Late-payment penalties at 12.15% a year since 28/10/2026: €12.62, plus the fixed €40 "
                             "recovery indemnity (art. L441-10 of the French Commercial Code).")
CONSUMER_PENALTY = Obj(amount=Decimal("0.00"), indemnity=Decimal("0.00"), total=Decimal("0.00"),
                       wording="Des intérêts au taux légal (6,65 % l'an) pourront être réclamés après mise en "
                               "demeure (art. 1231-6 du Code civil).",
                       wording_en="Interest at the statutory rate (6.65% a year) may be claimed after formal "
                                  "notice (art. 1231-6 of the French Civil Code).")


def invoice(days_late: int = 15, **changes) -> Obj:
    values = dict(number="FA2026-0012", issue_date="28/09/2026", due_date="28/10/2026",
                  total_incl_tax=Decimal("1334.56"), paid=Decimal("100.00"), credited=Decimal("0"),
                  outstanding=Decimal("1234.56"), days_late=days_late)
    return Obj(**{**values, **changes})


def client_context(days_late=15, penalty=B2B_PENALTY, consumer=False, iban=COMPANY.iban, bic=COMPANY.bic) -> dict:
    return dict(company=COMPANY, invoice=invoice(days_late), penalty=penalty, consumer=consumer,
                iban=iban, bic=bic, mail=Obj(subject="Facture FA2026-0012"))


def escalation_context(reason="final", dispute_text="") -> dict:
    history = [Obj(on="29/10/2026", text="Rappel J-1 envoyé"), Obj(on="04/11/2026", text="Relance J+7 envoyée")]
    invoices = [Obj(number="FA2026-0012", issue_date="28/09/2026", due_date="28/10/2026",
                    total_incl_tax=Decimal("1334.56"), outstanding=Decimal("1234.56"), days_late=29,
                    state="disputed" if reason == "dispute" else "open", penalty=B2B_PENALTY, history=history),
                Obj(number="FA2026-0019", issue_date="15/10/2026", due_date="14/11/2026",
                    total_incl_tax=Decimal("600.00"), outstanding=Decimal("600.00"), days_late=12,
                    state="paused", penalty=None, history=[])]
    commands = [Obj(syntax="MISE EN DEMEURE FA2026-0012", explanation="préparer la mise en demeure (PDF)"),
                Obj(syntax="RELANCE FA2026-0012 +7", explanation="relancer à nouveau dans 7 jours"),
                Obj(syntax="PAUSE FA2026-0012", explanation="suspendre les relances"),
                Obj(syntax="STOP FA2026-0012", explanation="arrêter les relances"),
                Obj(syntax="PAYÉ FA2026-0012 montant date", explanation="enregistrer un paiement")]
    return dict(company=COMPANY, client_name="Durand & Fils", client_email="compta@durand.example",
                reason=reason, dispute_text=dispute_text, invoices=invoices, total_outstanding=Decimal("1834.56"),
                commands_help=commands, gateway_address="factures@atelier-martin.fr")


def reply_forward_context(label="payment_announced", reply_text="Bonjour, le virement est parti hier.") -> dict:
    return dict(client_name="Durand & Fils", client_email="compta@durand.example", numbers=["FA2026-0012", "FA2026-0019"],
                label=label, promised_on="05/12/2026" if label == "promise" else "",
                paused_until={"promise": "06/12/2026", "dispute": ""}.get(label, "03/12/2026"),
                evidence="le virement est parti hier", reply_subject="Re: Relance : facture FA2026-0012 impayée",
                reply_text=reply_text)


def payment_recorded_context() -> dict:
    results = [Obj(number="FA2026-0012", amount=Decimal("1234.56"), paid_on="25/11/2026", outstanding=Decimal("0"),
                   state="paid", note=""),
               Obj(number="FA2026-0019", amount=Decimal("200.00"), paid_on="25/11/2026", outstanding=Decimal("400.00"),
                   state="partial", note=""),
               Obj(number="FA2026-0099", amount=Decimal("50.00"), paid_on="25/11/2026", outstanding=Decimal("0"),
                   state="refused", note="Facture inconnue : aucun paiement enregistré.")]
    return dict(results=results, thanks_sent=True)


def statement_context() -> dict:
    matched = [Obj(booked_on="24/11/2026", amount=Decimal("1234.56"), label="VIR SEPA DURAND FA2026-0012",
                   numbers=["FA2026-0012"], outcome="paid", note="")]
    unmatched = [Obj(booked_on="25/11/2026", amount=Decimal("75.00"), label="VIR M. LEROY",
                     reason="aucun numéro de facture ni montant correspondant")]
    return dict(filename="releve-novembre.xml", format_name="CAMT.053", line_count=5, matched=matched,
                unmatched=unmatched, ignored_count=2, already_seen=1, problems=["scan.pdf : format de relevé non reconnu"])


def command_done_context(formal_notice=True) -> dict:
    lines = [Obj(ok=True, text="FA2026-0012 : mise en demeure préparée.", text_en="FA2026-0012: formal notice prepared."),
             Obj(ok=False, text="FA2026-0999 : facture inconnue.", text_en="FA2026-0999: unknown invoice.")]
    return dict(lines=lines, formal_notice=formal_notice)


def status_context(rows) -> dict:
    return dict(mail=Obj(subject="STATUT"), requester=Obj(is_manager=True), days=7,
                sections=[Obj(key="mails", rows=[]), Obj(key="receivables", rows=rows)])


CONTEXTS = {
    "reminder_courtesy": lambda: client_context(days_late=-1, penalty=None),
    "reminder_first": lambda: client_context(days_late=7),
    "reminder_firm": lambda: client_context(days_late=15),
    "reminder_final": lambda: client_context(days_late=30),
    "payment_thanks": lambda: {**client_context(penalty=None), "received": Decimal("1234.56")},
    "reminders_escalation": escalation_context,
    "client_reply_forward": reply_forward_context,
    "payment_recorded": payment_recorded_context,
    "statement_result": statement_context,
    "reminders_command_done": command_done_context,
}


def render(name: str, language: str = "fr", **context):
    return EmailTemplates(language).render(name, **context)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_every_template_renders_its_exact_context_in_both_languages(name, language):
    email = render(name, language, **CONTEXTS[name]())
    assert email.subject and "\n" not in email.subject
    assert email.text.strip() and "{{" not in email.text
    assert email.html.startswith("<!DOCTYPE html>") or "<!DOCTYPE html>" in email.html[:300]
    assert f'<html lang="{language}">' in email.html


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", ["reminder_courtesy", "reminder_first", "reminder_firm", "reminder_final", "payment_thanks"])
def test_client_subjects_carry_the_invoice_number(name, language):
    assert "FA2026-0012" in render(name, language, **CONTEXTS[name]()).subject


def test_courtesy_reminder_gives_due_date_amount_iban_and_says_to_ignore_if_paid():
    email = render("reminder_courtesy", **client_context(days_late=-1, penalty=None))
    assert email.subject == "Rappel : facture FA2026-0012 à échéance le 28/10/2026 — Atelier Martin SARL"
    for expected in ("arrive à échéance le 28/10/2026", f"Reste à payer : {french_euros('1 234,56')}",
                     f"Déjà réglé : {french_euros('100,00')}", "IBAN FR76 3000 4000 0312 3456 7890 143 — BIC BNPAFRPPXXX",
                     "merci de ne pas tenir compte de ce message"):
        assert expected in email.text
    assert "Avoir" not in email.text  # Nothing credited: no line for it.
    assert french_euros("1 234,56") in email.html


def test_without_iban_no_transfer_details_are_printed():
    email = render("reminder_first", **client_context(days_late=7, iban="", bic=""))
    assert "IBAN" not in email.text and "IBAN" not in email.html


def test_first_reminder_is_polite_and_prints_the_penalty_wording_only_when_there_is_one():
    with_penalty = render("reminder_first", **client_context(days_late=7))
    assert with_penalty.subject.startswith("Relance : facture FA2026-0012")
    assert "simple oubli" in with_penalty.text and B2B_PENALTY.wording in with_penalty.text
    assert "répondre à ce message" in with_penalty.text
    without = render("reminder_first", **client_context(days_late=7, penalty=None))
    assert "Pénalités" not in without.text and "Pénalités" not in without.html


def test_firm_reminder_cites_days_late_penalties_indemnity_and_eight_days():
    email = render("reminder_firm", **client_context(days_late=15))
    assert email.subject.startswith("2e relance : facture FA2026-0012")
    for expected in ("retard de 15 jours", B2B_PENALTY.wording, f"Pénalités de retard à ce jour : {french_euros('12,62')}",
                     f"Indemnité forfaitaire pour frais de recouvrement : {french_euros('40,00')}", "sous huit jours"):
        assert expected in email.text
    english = render("reminder_firm", "en", **client_context(days_late=15))
    assert "15 days overdue" in english.text and B2B_PENALTY.wording_en in english.text


def test_final_reminder_claims_outstanding_plus_penalties_and_names_the_next_step():
    email = render("reminder_final", **client_context(days_late=30))
    assert email.subject.startswith("Dernière relance avant mise en demeure : facture FA2026-0012")
    # 1 234,56 € still due + 12,62 € penalties + 40,00 € indemnity.
    assert f"Total dû : {french_euros('1 287,18')}" in email.text
    assert "dernière relance avant transmission du dossier à notre direction" in email.text
    assert "sous huit jours" in email.text
    assert french_euros("1 287,18") in email.html


def test_consumer_reminder_has_the_legal_interest_wording_and_no_indemnity():
    context = client_context(days_late=30, penalty=CONSUMER_PENALTY, consumer=True)
    email = render("reminder_final", **context)
    assert CONSUMER_PENALTY.wording in email.text
    assert "Indemnité" not in email.text and "40,00" not in email.text and "Indemnité" not in email.html
    assert f"Total dû : {french_euros('1 234,56')}" in email.text


def test_payment_thanks_states_the_amount_received():
    email = render("payment_thanks", **CONTEXTS["payment_thanks"]())
    assert email.subject == "Paiement reçu : facture FA2026-0012 — Atelier Martin SARL"
    assert f"règlement de {french_euros('1 234,56')}" in email.text and "entièrement réglée" in email.text


def test_escalation_lists_invoices_history_total_and_commands_to_the_gateway():
    email = render("reminders_escalation", **escalation_context())
    # The subject's whitespace is folded to plain spaces by the renderer.
    assert email.subject == "Impayés : Durand & Fils — FA2026-0012, FA2026-0019 (1 834,56 €)"
    for expected in ("La dernière relance (J+30) vient d'être envoyée", "en retard de 29 jours", "relances en pause",
                     "04/11/2026 : Relance J+7 envoyée", f"Total restant dû : {french_euros('1 834,56')}",
                     "factures@atelier-martin.fr", "MISE EN DEMEURE FA2026-0012", "PAYÉ FA2026-0012 montant date"):
        assert expected in email.text
    assert "Durand &amp; Fils" in email.html and "<code>STOP FA2026-0012</code>" in email.html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_escalation_for_a_dispute_quotes_the_client_and_escapes_it_in_html(language):
    email = render("reminders_escalation", language, **escalation_context("dispute", f"Travaux non conformes.\n{HOSTILE}"))
    assert "Travaux non conformes." in email.text and f"> {HOSTILE}" in email.text
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html and '<img src="http' not in email.html
    assert email.subject.startswith("Contestation : " if language == "fr" else "Dispute: ")


@pytest.mark.parametrize(("label", "expected"), [
    ("payment_announced", "les relances sont en pause jusqu'au 03/12/2026"),
    ("promise", "reprendront le lendemain de cette date"),
    ("dispute", "les relances sont arrêtées et la direction est prévenue"),
    ("other", "Merci de répondre au client"),
])
def test_client_reply_forward_says_what_the_gateway_did(label, expected):
    email = render("client_reply_forward", **reply_forward_context(label))
    assert expected in email.text
    assert "FA2026-0012, FA2026-0019" in email.subject and "> Bonjour, le virement est parti hier." in email.text
    if label == "payment_announced":
        assert "PAYÉ" in email.text and "relevé bancaire" in email.text
    if label == "promise":
        assert "05/12/2026" in email.text


def test_client_reply_forward_about_invoices_no_longer_chased_says_nothing_changed():
    email = render("client_reply_forward", **(reply_forward_context("other") | {"paused_until": ""}))
    assert "rien n'a changé" in email.text and "en pause" not in email.text


def test_client_reply_forward_escapes_the_client_text_in_html():
    email = render("client_reply_forward", **reply_forward_context("other", HOSTILE))
    assert HOSTILE in email.text
    assert "<script>" not in email.html and "&lt;img src=" in email.html


def test_payment_recorded_reports_each_line_and_the_thanks():
    email = render("payment_recorded", **payment_recorded_context())
    for expected in (f"FA2026-0012 : {french_euros('1 234,56')} reçu le 25/11/2026 — facture soldée",
                     f"paiement partiel, reste dû {french_euros('400,00')}", "FA2026-0099 : NON ENREGISTRÉ",
                     "Facture inconnue : aucun paiement enregistré.", "remerciement"):
        assert expected in email.text
    quiet = render("payment_recorded", results=payment_recorded_context()["results"][:1], thanks_sent=False)
    assert "remerciement" not in quiet.text


def test_statement_result_shows_matched_unmatched_and_counts():
    email = render("statement_result", **statement_context())
    assert email.subject == "Relevé releve-novembre.xml : 1 paiement rapproché, 1 à identifier"
    for expected in ("releve-novembre.xml (CAMT.053) : 5 lignes", "→ FA2026-0012 : soldée",
                     f"{french_euros('75,00')}  VIR M. LEROY", "aucun numéro de facture", "2 débits ignorés",
                     "1 ligne déjà lue", "scan.pdf : format de relevé non reconnu"):
        assert expected in email.text


def test_command_done_explains_the_registered_letter_when_a_notice_is_attached():
    french = render("reminders_command_done", **command_done_context())
    assert "✓ FA2026-0012 : mise en demeure préparée." in french.text and "✗ FA2026-0999 : facture inconnue." in french.text
    assert "lettre recommandée avec accusé de réception" in french.text and "signer" in french.text
    english = render("reminders_command_done", "en", **command_done_context())
    assert "✓ FA2026-0012: formal notice prepared." in english.text and "registered post" in english.text
    without = render("reminders_command_done", **command_done_context(formal_notice=False))
    assert "recommandée" not in without.text and "recommandée" not in without.html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_status_report_lists_open_receivables_with_the_delay(language):
    rows = [dict(number="FA2026-0012", client="Durand & Fils", due_date="28/10/2026", outstanding=Decimal("1234.56"),
                 days_late=29, state="open", next_step="relance J+30", next_on="27/11/2026"),
            dict(number="FA2026-0031", client="Leroy", due_date="10/12/2026", outstanding=Decimal("80.00"),
                 days_late=-14, state="promised", next_step="", next_on=""),
            dict(number="FA2026-0027", client="Bernard", due_date="25/11/2026", outstanding=Decimal("10.00"),
                 days_late=1, state="paused", next_step="", next_on="")]
    email = render("status_reply", language, **status_context(rows))
    if language == "fr":
        assert "Factures clients ouvertes (retards d'abord)" in email.text
        assert (f"- FA2026-0012 — Durand & Fils — {french_euros('1 234,56')} dû, échéance 28/10/2026, "
                "en retard de 29 jours — relances en cours ; ensuite : relance J+30 le 27/11/2026") in email.text
        assert "FA2026-0031 — Leroy" in email.text and "retard de -14" not in email.text
        assert "paiement promis" in email.text and "en retard de 1 jour — relances en pause" in email.text
    else:
        assert "29 days late" in email.text and "payment promised" in email.text and "1 day late" in email.text
    assert "Durand &amp; Fils" in email.html


def test_status_report_without_open_invoices_says_so():
    email = render("status_reply", **status_context([]))
    assert "aucune facture ouverte" in email.text and "aucune facture ouverte" in email.html
