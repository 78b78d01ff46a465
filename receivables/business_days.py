"""The French business calendar: working days, sending hours and the next moment to send."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

ONE_DAY = timedelta(days=1)


# The areas with public holidays of their own (`reminders.holidays_subdivision`): Moselle and
# Alsace (Good Friday, 26 December), the overseas departments and collectivities (abolition of
# slavery…). The school zones of the `holidays` package are not public holidays.
SUBDIVISIONS = tuple(code for code in holidays.France.subdivisions if not code.startswith("Zone"))


@lru_cache(maxsize=64)
def _public_holidays(year: int, subdivision: str = "") -> frozenset[date]:
    # The national public holidays of France, plus those of the company's area when one is set.
    # Built once per year, because the reminder tick asks about the same few days over and over.
    return frozenset(holidays.France(years=year, subdiv=subdivision or None, categories=("public",)))


def is_business_day(day: date, subdivision: str = "") -> bool:
    """Monday to Friday, and not a French public holiday (of the area `subdivision` too, when given)."""
    return day.weekday() < 5 and day not in _public_holidays(day.year, subdivision)


def next_business_day(day: date, subdivision: str = "") -> date:
    """`day` itself when it is a business day, else the next one."""
    while not is_business_day(day, subdivision):
        day += ONE_DAY
    return day


def add_business_days(day: date, count: int, subdivision: str = "") -> date:
    """The `count`-th business day after `day`; 0 gives next_business_day(day)."""
    if count < 0:
        raise ValueError(f"count must be 0 or more, got {count}")
    day = next_business_day(day, subdivision) if count == 0 else day
    for _ in range(count):
        day = next_business_day(day + ONE_DAY, subdivision)
    return day


def within_hours(moment: datetime, start: time, end: time, tz: ZoneInfo, subdivision: str = "") -> bool:
    """Whether `moment` (aware) falls in [start, end) local time on a business day."""
    if not start < end:
        raise ValueError(f"sending hours must start before they end, got {start}-{end}")
    local = _local(moment, tz)
    return is_business_day(local.date(), subdivision) and start <= local.time() < end


def next_send_moment(moment: datetime, start: time, end: time, tz: ZoneInfo, subdivision: str = "") -> datetime:
    """`moment` itself when within hours, else the start of the next business hours (aware, in `tz`)."""
    if within_hours(moment, start, end, tz, subdivision):
        return moment
    local = _local(moment, tz)
    day = local.date()
    # Before the opening of a business day the same day's opening is next; otherwise the next
    # business day's. Combining the local date and time lets the zone pick the right offset
    # across a change of daylight saving time.
    if not (is_business_day(day, subdivision) and local.time() < start):
        day = next_business_day(day + ONE_DAY, subdivision)
    return datetime.combine(day, start, tzinfo=tz)


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an aware datetime is needed, got {moment.isoformat()}")
    return moment.astimezone(tz)
