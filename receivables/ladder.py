"""The reminder ladder as data: its steps for one client, the day each falls on, which one is due.

Pure. A step is named by its offset from the due date ("J-1", "J+7"): the name is what the
unique (invoice, step) row holds, so a step is never sent twice even if the ladder is edited.
"""

import fnmatch
from dataclasses import dataclass
from datetime import date, timedelta

from gateway.config_sections import Reminders
from receivables.business_days import is_business_day, next_business_day


@dataclass(frozen=True)
class Step:
    name: str
    days: int
    tone: str  # courtesy | first | firm | final: the template reminder_<tone>
    last: bool  # the last step also hands the client to the manager
    # The area whose public holidays are days off too (reminders.holidays_subdivision), "" for none.
    subdivision: str = ""

    @property
    def template(self) -> str:
        return f"reminder_{self.tone}"


def step_name(days: int) -> str:
    return f"J{days:+d}"


def ladder_for(reminders: Reminders, client_email: str, client_siren: str) -> tuple[Step, ...]:
    """The client's own ladder when configured (by SIREN, address or *@domain), else the company's."""
    steps = reminders.steps
    email = client_email.strip().lower()
    for key, ladder in reminders.clients.items():
        pattern = key.strip().lower()
        if (client_siren and pattern == client_siren) or (email and fnmatch.fnmatchcase(email, pattern)):
            steps = ladder
            break
    ordered = sorted(steps, key=lambda step: step["days"])
    return tuple(Step(step_name(step["days"]), step["days"], step["tone"], index == len(ordered) - 1,
                      reminders.holidays_subdivision) for index, step in enumerate(ordered))


def step_date(step: Step, due_date: date) -> date:
    """The business day a step goes out: its calendar day, or after a day off the next business day
    (the business day before, for a step that must arrive before the due date)."""
    day = due_date + timedelta(days=step.days)
    if step.days >= 0:
        return next_business_day(day, step.subdivision)
    while not is_business_day(day, step.subdivision):
        day -= timedelta(days=1)
    return day


def remaining(ladder: tuple[Step, ...], last_step: str) -> tuple[Step, ...]:
    """The steps after the last one sent (by offset, so an edited ladder still goes forward)."""
    if not last_step:
        return ladder
    last_days = _days_of(last_step)
    return tuple(step for step in ladder if last_days is None or step.days > last_days)


def opening_steps(ladder: tuple[Step, ...], issue_date: date, due_date: date) -> tuple[Step, ...]:
    """The steps an invoice can still meet: none falling on or before its issue date (an invoice
    due on receipt gets no « due tomorrow » courtesy mail)."""
    return tuple(step for step in ladder if step_date(step, due_date) > issue_date)


def due_steps(steps: tuple[Step, ...], due_date: date, today: date) -> tuple[Step, ...]:
    """The steps whose day has come; after downtime only the last of them is sent."""
    return tuple(step for step in steps if step_date(step, due_date) <= today)


def next_after(steps: tuple[Step, ...], sent: Step) -> Step | None:
    later = [step for step in steps if step.days > sent.days]
    return later[0] if later else None


def _days_of(name: str) -> int | None:
    try:
        return int(name[1:]) if name.startswith("J") else None
    except ValueError:
        return None
