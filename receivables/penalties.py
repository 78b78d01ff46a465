"""Late-payment penalties of one invoice: accrued interest, the €40 indemnity, and their wording.

Règles (art. L441-10 et D441-5 du Code de commerce, art. 1231-6 du Code civil) :
- Les pénalités courent du lendemain de l'échéance jusqu'au jour du calcul inclus, en intérêts
  simples, jours réels / 365, sur le montant TTC restant dû chaque jour : le montant dû à
  l'échéance moins chaque règlement (paiement ou avoir) à compter de sa date ; un règlement du
  jour J arrête les intérêts sur sa part dès J.
- Taux entre professionnels : le taux contractuel, jamais inférieur à trois fois le taux de
  l'intérêt légal (« tous les autres cas ») du semestre (sinon le plancher s'applique, avec un
  avertissement) ; sans taux contractuel, le taux BCE du semestre majoré de 10 points. Le calcul
  est découpé en périodes à chaque début de semestre et à chaque changement de solde ; chaque
  période est arrondie au centime (au plus proche, 0,5 vers le haut) et le total est leur somme.
- L'indemnité forfaitaire de 40 € : une fois par facture, clients professionnels seulement, due
  dès que la facture est en retard, même payée ensuite.
- Client consommateur : ni pénalités ni indemnité avant mise en demeure. Le taux indiqué est
  celui de l'intérêt légal « tous les autres cas » : le taux majoré ne vaut que pour un
  CRÉANCIER personne physique n'agissant pas pour des besoins professionnels, or le créancier
  ici est l'entreprise.

Rules (in English): penalties run from the day after the due date through the computation day
inclusive, simple interest, actual days / 365, on the amount including VAT still due each day (a
settlement — payment or credit note — dated D stops interest on its part from D). Between
businesses: the contract rate, never below 3 × the legal interest rate ("all other cases") of
the half-year (then raised, with a warning); without one, the ECB rate of the half-year + 10
points. Periods split at each half-year start and each balance change, each rounded to the cent
(half up), the total being their sum. The €40 indemnity: once per invoice, business clients only,
due as soon as the invoice is late. Consumers: nothing before a formal notice; the rate shown is
the legal rate of "all other cases", since the higher rate is for consumer CREDITORS only.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from gateway.templating import NO_BREAK_SPACE, euros
from receivables.legal_rates import LegalRates, percent_en, percent_fr

# Art. D441-5 C. com. sets the indemnity at 40 euros; a change would come by decree, rarely.
INDEMNITY = Decimal("40.00")
ECB_MARGIN = Decimal("10")
FLOOR_MULTIPLE = Decimal("3")
CENT = Decimal("0.01")
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class PenaltyPeriod:
    start: date
    end: date                  # inclusive
    days: int
    base: Decimal              # amount including VAT still due during the period
    rate: Decimal              # percent per year
    amount: Decimal            # rounded to the cent


@dataclass(frozen=True)
class Penalty:
    days_late: int                 # days after the due date up to `on` or the full settlement
    amount: Decimal                # penalties accrued, to the cent (0 for consumers)
    indemnity: Decimal             # 40.00 for a business client once late, else 0
    rate: Decimal                  # rate of the latest period (else of `on`'s half-year), percent
    periods: tuple[PenaltyPeriod, ...]
    consumer: bool
    warnings: tuple[str, ...]      # unconfigured half-years, contract rate raised to the floor
    late_since: date | None = None  # the day after the due date, when late

    @property
    def total(self) -> Decimal:
        return self.amount + self.indemnity


def late_penalty(
    due_date: date, on: date, amount_due: Decimal, settlements: Sequence[tuple[date, Decimal]],
    consumer: bool, rates: LegalRates, contract_rate: Decimal | None = None,
) -> Penalty:
    """Penalties of an invoice of `amount_due` (including VAT) due on `due_date`, computed on `on`."""
    def balance(day: date) -> Decimal:
        settled = sum((amount for settled_on, amount in settlements if settled_on <= day), Decimal(0))
        return max(amount_due - settled, Decimal(0))

    warnings: list[str] = []
    late = on > due_date and balance(due_date) > 0
    if consumer or not late:
        rate = _consumer_rate(on, rates, warnings) if consumer else _b2b_rate(on, rates, contract_rate, warnings)
        return Penalty(
            days_late=_days_late(due_date, on, settlements, balance) if late else 0, amount=Decimal("0.00"),
            indemnity=Decimal("0.00"), rate=rate, periods=(), consumer=consumer,
            warnings=_unique(warnings), late_since=due_date + ONE_DAY if late else None,
        )
    periods = tuple(_periods(due_date, on, settlements, balance, rates, contract_rate, warnings))
    return Penalty(
        days_late=_days_late(due_date, on, settlements, balance),
        amount=sum((period.amount for period in periods), Decimal("0.00")),
        indemnity=INDEMNITY,
        rate=periods[-1].rate if periods else _b2b_rate(on, rates, contract_rate, warnings),
        periods=periods, consumer=False, warnings=_unique(warnings), late_since=due_date + ONE_DAY,
    )


def _periods(due_date, on, settlements, balance, rates, contract_rate, warnings) -> list[PenaltyPeriod]:
    first = due_date + ONE_DAY
    # A period starts on the first late day, on every half-year start and on every settlement
    # day; the balance of a day already counts that day's settlements.
    half_years = (date(year, month, 1) for year in range(first.year, on.year + 1) for month in (1, 7))
    changes = (day for day, amount in settlements if amount)
    bounds = sorted({first} | {day for day in (*half_years, *changes) if first < day <= on}) + [on + ONE_DAY]
    periods = []
    for start, after in zip(bounds, bounds[1:]):
        base = balance(start)
        if base <= 0:
            continue
        rate = _b2b_rate(start, rates, contract_rate, warnings)
        days = (after - start).days
        amount = (base * rate * days / Decimal(36500)).quantize(CENT, rounding=ROUND_HALF_UP)
        periods.append(PenaltyPeriod(start, after - ONE_DAY, days, base, rate, amount))
    return periods


def _days_late(due_date: date, on: date, settlements, balance) -> int:
    # A debt settled in full on day D was D - due_date days late; an open one is late up to `on`.
    paid_off = min((day for day, _ in settlements if due_date < day <= on and balance(day) <= 0), default=on)
    return (paid_off - due_date).days


def _b2b_rate(day: date, rates: LegalRates, contract_rate: Decimal | None, warnings: list[str]) -> Decimal:
    if contract_rate is None:
        ecb = rates.ecb_rate(day)
        warnings.append(ecb.warning)
        return ecb.rate + ECB_MARGIN
    legal = rates.legal_interest(day, consumer=False)
    warnings.append(legal.warning)
    floor = FLOOR_MULTIPLE * legal.rate
    if contract_rate >= floor:
        return contract_rate
    warnings.append(
        f"Taux contractuel de {percent_fr(contract_rate)} inférieur au plancher légal de trois fois le "
        f"taux de l'intérêt légal ({percent_fr(floor)}) : le plancher est appliqué (art. L441-10 du Code "
        f"de commerce). / Contract rate of {percent_en(contract_rate)} below the legal floor of three "
        f"times the legal interest rate ({percent_en(floor)}): the floor is applied."
    )
    return floor


def _consumer_rate(day: date, rates: LegalRates, warnings: list[str]) -> Decimal:
    # The creditor is a business: the "all other cases" rate applies even to a consumer debtor.
    legal = rates.legal_interest(day, consumer=False)
    warnings.append(legal.warning)
    return legal.rate


def _unique(warnings: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(warning for warning in warnings if warning))


def penalty_wording(penalty: Penalty) -> tuple[str, str]:
    """One sentence for a reminder, (French, English)."""
    if penalty.consumer:
        return (
            f"Des intérêts au taux légal ({percent_fr(penalty.rate)} l'an) pourront être réclamés "
            "après mise en demeure (art. 1231-6 du Code civil).",
            f"Interest at the statutory rate ({percent_en(penalty.rate)} a year) may be claimed "
            "after formal notice (art. 1231-6 of the French Civil Code).",
        )
    rates = list(dict.fromkeys(period.rate for period in penalty.periods)) or [penalty.rate]
    rates_fr = ("au taux de " if len(rates) == 1 else "aux taux de ") + " puis ".join(map(percent_fr, rates))
    rates_en = "at " + " then ".join(map(percent_en, rates))
    indemnity = penalty.indemnity or INDEMNITY
    indemnity_fr = f"l'indemnité forfaitaire de {_whole_euros(indemnity)} pour frais de recouvrement"
    indemnity_en = f"the fixed €{indemnity:.0f} recovery indemnity"
    law_fr, law_en = "(art. L441-10 du Code de commerce)", "(art. L441-10 of the French Commercial Code)"
    if penalty.late_since is None:
        return (
            f"En cas de retard de paiement, pénalités {rates_fr} l'an dès le lendemain de l'échéance, "
            f"plus {indemnity_fr} {law_fr}.",
            f"In case of late payment, penalties {rates_en} a year from the day after the due date, "
            f"plus {indemnity_en} {law_en}.",
        )
    since = penalty.late_since.strftime("%d/%m/%Y")
    return (
        f"Pénalités de retard {rates_fr} l'an depuis le {since} : {euros(penalty.amount)}, "
        f"plus {indemnity_fr} {law_fr}.",
        f"Late-payment penalties {rates_en} a year since {since}: €{penalty.amount:,.2f}, "
        f"plus {indemnity_en} {law_en}.",
    )


def _whole_euros(amount: Decimal) -> str:
    # « 40 € » as the law writes it; an amount with cents keeps them.
    return f"{amount:.0f}{NO_BREAK_SPACE}€" if amount == amount.to_integral_value() else euros(amount)
