"""One reason a bill does not add up or looks wrong, as the checks report it."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """A failed check: a stable code, the field it concerns, an English message, the values involved.

    `params` carries the raw values (Decimals, dates, strings) so that check_reasons can word the
    reason in French; `severity` is "error" for a value that is wrong or missing and "warning" for
    an assumption the reader should know about (a currency taken as euros, for instance).
    """

    code: str
    field: str
    message: str
    params: dict = field(default_factory=dict, compare=False, hash=False)
    severity: str = "error"
