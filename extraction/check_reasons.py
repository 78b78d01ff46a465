"""The French wording of each check's reason, as the validation mail shows it."""

from collections.abc import Callable
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from extraction.problem import Problem

FIELD_LABELS = {"number": "Le numéro de facture", "issue_date": "La date de facture",
                "total_incl_tax": "Le total TTC"}
ROLES = {"supplier": "du fournisseur", "buyer": "du client"}


def french_reason(problem: Problem) -> str:
    """One French sentence for the problem; an unknown code falls back to its English message."""
    word = WORDINGS.get(problem.code)
    if word is None:
        return problem.message
    try:
        return word(problem.params, _role(problem.field))
    except (KeyError, TypeError, ValueError, ArithmeticError):
        # A problem built with other params than ours still reaches the reader, in English.
        return problem.message


def _role(field: str) -> str:
    return ROLES.get(field.split(".", 1)[0], "")


def _money(value: Decimal, params: dict) -> str:
    return format_currency(value, params.get("currency", "EUR"), locale="fr_FR")


def _day(value) -> str:
    return format_date(value, format="long", locale="fr_FR")


def _why(params: dict) -> str:
    if params.get("reason") == "checksum":
        return "est invalide : sa clé de contrôle ne correspond pas"
    return "n'a pas une forme valide (longueur ou caractères)"


def _rate(value: Decimal) -> str:
    return format_decimal(value, locale="fr_FR")


WORDINGS: dict[str, Callable[[dict, str], str]] = {
    "missing_field": lambda p, r: f"{FIELD_LABELS[p['field']]} est introuvable sur le document.",
    "totals_mismatch": lambda p, r: (f"Le total TTC ({_money(p['incl'], p)}) ne correspond pas à HT + TVA "
                                     f"({_money(p['expected'], p)})."),
    "tax_line_mismatch": lambda p, r: (f"La TVA à {_rate(p['rate'])} % sur {_money(p['base'], p)} devrait être de "
                                       f"{_money(p['expected'], p)}, et non {_money(p['amount'], p)}."),
    "tax_lines_sum_mismatch": lambda p, r: (f"Les lignes de TVA totalisent {_money(p['sum'], p)}, mais le total de "
                                            f"TVA indiqué est {_money(p['total'], p)}."),
    "tax_bases_sum_mismatch": lambda p, r: (f"Les bases de TVA totalisent {_money(p['sum'], p)}, mais le total HT "
                                            f"indiqué est {_money(p['total'], p)}."),
    "invalid_siren": lambda p, r: f"Le SIREN {r} ({p['value']}) {_why(p)}.",
    "invalid_siret": lambda p, r: f"Le SIRET {r} ({p['value']}) {_why(p)}.",
    "siret_siren_mismatch": lambda p, r: f"Le SIRET {r} ({p['value']}) ne commence pas par son SIREN ({p['siren']}).",
    "invalid_vat_number": lambda p, r: f"Le numéro de TVA intracommunautaire {r} ({p['value']}) {_why(p)}.",
    "vat_siren_mismatch": lambda p, r: (f"Le numéro de TVA {r} ({p['value']}) ne correspond pas à son SIREN "
                                        f"({p['siren']})."),
    "invalid_iban": lambda p, r: f"L'IBAN {r} ({p['value']}) {_why(p)}.",
    "invalid_bic": lambda p, r: f"Le BIC {r} ({p['value']}) n'a pas une forme valide.",
    "issue_date_in_future": lambda p, r: f"La date de facture ({_day(p['date'])}) est dans le futur.",
    "issue_date_too_old": lambda p, r: f"La date de facture ({_day(p['date'])}) est antérieure à {p['year']}.",
    "due_before_issue": lambda p, r: (f"L'échéance ({_day(p['date'])}) précède la date de facture "
                                      f"({_day(p['issue_date'])})."),
    "due_date_too_late": lambda p, r: (f"L'échéance ({_day(p['date'])}) tombe plus de deux ans après la date de "
                                       f"facture ({_day(p['issue_date'])})."),
    "currency_missing": lambda p, r: "Aucune devise indiquée : montants considérés en euros (EUR).",
    "unknown_currency": lambda p, r: f"La devise « {p['value']} » n'est pas un code ISO 4217 connu.",
}
