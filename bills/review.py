"""Everything the gateway holds against a bill before asking about it, and whether it may pass alone."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from bills.checks import Alert, supplier_alerts
from bills.duplicates import CERTAIN_GROUNDS, Earlier, find_earlier
from bills.models import ReceivedBill
from bills.suppliers import duplicate_policy, find_supplier, history_of, is_trusted
from bills.values import amount, as_extraction_bill
from extraction.checks import check_bill
from extraction.problem import Problem
from gateway.approvals import approval_threshold
from gateway.config import Config

# Below this confidence a value is marked "à vérifier" and the bill is never validated alone.
SURE = 0.9
# The values a bill is booked with: any of them doubtful means a person must look.
KEY_FIELDS = ("number", "issue_date", "total_excl_tax", "total_tax", "total_incl_tax", "supplier.name")


@dataclass(frozen=True)
class Review:
    problems: list[Problem]
    alerts: list[Alert]
    earlier: Earlier | None
    trusted: bool
    policy: str
    doubtful: list[str]
    above_threshold: bool

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def closes_as_duplicate(self) -> bool:
        """Under the "automatic" policy a certain duplicate is closed without a question."""
        return self.earlier is not None and self.policy == "automatic" and self.earlier.ground in CERTAIN_GROUNDS

    def auto_validation_blockers(self) -> list[str]:
        """Why the bill may not be validated without a person's OK (in English, for the log)."""
        reasons = [] if self.trusted else ["supplier not trusted"]
        reasons += [f"alert {alert.code}" for alert in self.alerts if alert.code != "unknown_supplier"]
        reasons += [f"problem {problem.code}" for problem in self.errors]
        reasons += [f"doubtful {name}" for name in self.doubtful]
        reasons += ["above the manager threshold"] if self.above_threshold else []
        reasons += ["possible duplicate"] if self.earlier else []
        return reasons


def review_bill(session: Session, row: ReceivedBill, config: Config, today: date | None = None,
                check_duplicates: bool = True) -> Review:
    supplier = find_supplier(session, row.supplier_key)
    history = history_of(supplier)
    total = amount(row.total_incl_tax)
    factor = Decimal(config.bills.unusual_amount_factor)
    threshold = approval_threshold(config)
    return Review(
        problems=check_bill(as_extraction_bill(row), today=today),
        alerts=supplier_alerts(row.supplier_iban, total, history, factor, row.currency),
        earlier=find_earlier(session, row) if check_duplicates else None,
        trusted=is_trusted(config.bills, row.supplier_siren, row.supplier_iban, supplier),
        policy=duplicate_policy(config.bills, row.supplier_siren, supplier),
        doubtful=[name for name in KEY_FIELDS if row.confidence.get(name, 0.0) < SURE],
        above_threshold=threshold > 0 and total is not None and total > threshold,
    )
