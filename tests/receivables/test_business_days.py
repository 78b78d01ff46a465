"""The French business calendar: holidays, weekends, sending hours and daylight saving time."""

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from receivables.business_days import (
    add_business_days, is_business_day, next_business_day, next_send_moment, within_hours,
)

PARIS = ZoneInfo("Europe/Paris")
OPEN, CLOSE = time(9), time(18)


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize("day", [
    date(2026, 1, 1),    # Jour de l'an (Thursday)
    date(2026, 4, 6),    # Lundi de Pâques
    date(2026, 5, 1),    # Fête du travail (Friday)
    date(2026, 5, 8),    # Victoire 1945 (Friday)
    date(2026, 5, 14),   # Ascension (Thursday)
    date(2026, 5, 25),   # Lundi de Pentecôte
    date(2026, 7, 14),   # Fête nationale (Tuesday)
    date(2026, 11, 11),  # Armistice (Wednesday)
    date(2026, 12, 25),  # Noël (Friday)
    date(2027, 5, 6),    # Ascension 2027 (Thursday): Easter-based days move every year
])
def test_public_holidays_on_weekdays_are_not_business_days(day):
    assert day.weekday() < 5
    assert not is_business_day(day)


@pytest.mark.parametrize("day", [
    date(2026, 11, 26),  # an ordinary Thursday
    date(2026, 4, 3),    # Good Friday: a holiday in Alsace-Moselle only
    date(2025, 12, 26),  # 26 December: likewise
    date(2026, 5, 15),   # the Friday after Ascension ("pont"): worked
])
def test_ordinary_weekdays_are_business_days(day):
    assert is_business_day(day)


def test_weekends_are_not_business_days():
    assert not is_business_day(date(2026, 11, 28))  # Saturday
    assert not is_business_day(date(2026, 11, 29))  # Sunday


@pytest.mark.parametrize("day, expected", [
    (date(2026, 11, 26), date(2026, 11, 26)),  # a business day is its own answer
    (date(2026, 11, 28), date(2026, 11, 30)),  # Saturday → Monday
    (date(2026, 5, 8), date(2026, 5, 11)),     # Friday holiday → Monday
    (date(2026, 5, 23), date(2026, 5, 26)),    # Saturday before Whit Monday → Tuesday
    (date(2026, 12, 25), date(2026, 12, 28)),  # Christmas Friday → Monday
])
def test_next_business_day(day, expected):
    assert next_business_day(day) == expected


@pytest.mark.parametrize("day, count, expected", [
    (date(2026, 11, 26), 0, date(2026, 11, 26)),
    (date(2026, 11, 28), 0, date(2026, 11, 30)),   # 0 from a Saturday: the Monday
    (date(2026, 11, 26), 1, date(2026, 11, 27)),
    (date(2026, 11, 27), 1, date(2026, 11, 30)),   # Friday + 1 → Monday
    (date(2026, 11, 28), 1, date(2026, 11, 30)),   # Saturday + 1 → Monday
    (date(2026, 5, 13), 1, date(2026, 5, 15)),     # over Ascension
    (date(2026, 5, 13), 2, date(2026, 5, 18)),     # over Ascension and the weekend
    (date(2026, 5, 22), 1, date(2026, 5, 26)),     # over the weekend and Whit Monday
    (date(2026, 11, 10), 1, date(2026, 11, 12)),   # over 11 November
    (date(2026, 12, 24), 1, date(2026, 12, 28)),   # over Christmas and the weekend
    (date(2026, 12, 31), 1, date(2027, 1, 4)),     # over New Year's Day into a new year
    (date(2026, 11, 26), 10, date(2026, 12, 10)),  # two full weeks
])
def test_add_business_days(day, count, expected):
    assert add_business_days(day, count) == expected


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_business_days(date(2026, 11, 26), -1)


@pytest.mark.parametrize("moment, expected", [
    (paris(2026, 11, 26, 9, 0), True),            # opening included
    (paris(2026, 11, 26, 17, 59, 59), True),
    (paris(2026, 11, 26, 18, 0), False),          # closing excluded
    (paris(2026, 11, 26, 8, 59, 59), False),
    (paris(2026, 11, 28, 10, 0), False),          # Saturday
    (paris(2026, 11, 11, 10, 0), False),          # 11 November
    (utc(2026, 11, 26, 8, 0), True),              # 09:00 in Paris (UTC+1)
    (utc(2026, 11, 26, 17, 0), False),            # 18:00 in Paris
    (utc(2026, 3, 30, 7, 30), True),              # 09:30 in Paris, summer time (UTC+2)
    (utc(2026, 3, 27, 7, 30), False),             # 08:30 in Paris, winter time (UTC+1)
])
def test_within_hours_reads_the_local_time_of_the_zone(moment, expected):
    assert within_hours(moment, OPEN, CLOSE, PARIS) is expected


def test_a_moment_within_hours_is_sent_as_is():
    moment = paris(2026, 11, 26, 10, 15)
    assert next_send_moment(moment, OPEN, CLOSE, PARIS) is moment


@pytest.mark.parametrize("moment, expected", [
    (paris(2026, 11, 26, 7, 0), paris(2026, 11, 26, 9, 0)),     # early: the same day's opening
    (paris(2026, 11, 26, 18, 0), paris(2026, 11, 27, 9, 0)),    # closing time: the next day
    (paris(2026, 11, 27, 18, 30), paris(2026, 11, 30, 9, 0)),   # Friday evening: Monday
    (paris(2026, 11, 28, 8, 0), paris(2026, 11, 30, 9, 0)),     # Saturday morning: Monday
    (paris(2026, 11, 10, 19, 0), paris(2026, 11, 12, 9, 0)),    # eve of 11 November: the 12th
    (paris(2026, 5, 13, 20, 0), paris(2026, 5, 15, 9, 0)),      # eve of Ascension: the Friday
    (paris(2026, 12, 24, 18, 0), paris(2026, 12, 28, 9, 0)),    # Christmas Eve evening: Monday
])
def test_next_send_moment_outside_hours_is_the_next_opening(moment, expected):
    assert next_send_moment(moment, OPEN, CLOSE, PARIS) == expected


def test_next_send_moment_across_the_spring_change_of_time():
    # Friday 27/03/2026 18:30 CET (17:30 UTC); clocks go forward on Sunday 29/03: Monday's
    # 09:00 is 07:00 UTC, not 08:00.
    sent = next_send_moment(utc(2026, 3, 27, 17, 30), OPEN, CLOSE, PARIS)
    assert sent == utc(2026, 3, 30, 7, 0)
    assert sent.tzinfo is PARIS and sent.utcoffset().total_seconds() == 7200


def test_next_send_moment_on_the_day_of_the_change_of_time():
    # Sunday 29/03/2026 01:30 UTC is 03:30 CEST, just after the jump from 02:00 to 03:00.
    assert next_send_moment(utc(2026, 3, 29, 1, 30), OPEN, CLOSE, PARIS) == utc(2026, 3, 30, 7, 0)
    # Sunday 25/10/2026, clocks go back: Monday's 09:00 is 08:00 UTC again.
    assert next_send_moment(utc(2026, 10, 25, 0, 30), OPEN, CLOSE, PARIS) == utc(2026, 10, 26, 8, 0)


def test_next_send_moment_answers_in_the_zone_before_the_opening_in_utc():
    # 07:30 UTC on Friday 27/03/2026 is 08:30 in Paris: today's opening, 08:00 UTC.
    sent = next_send_moment(utc(2026, 3, 27, 7, 30), OPEN, CLOSE, PARIS)
    assert sent == utc(2026, 3, 27, 8, 0)
    assert sent.tzinfo is PARIS


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="aware"):
        within_hours(datetime(2026, 11, 26, 10, 0), OPEN, CLOSE, PARIS)


def test_hours_that_do_not_open_before_they_close_are_refused():
    with pytest.raises(ValueError, match="start before"):
        next_send_moment(paris(2026, 11, 26, 10, 0), CLOSE, OPEN, PARIS)


def test_alsace_moselle_adds_good_friday_and_saint_stephens_day():
    good_friday = date(2027, 3, 26)
    assert is_business_day(good_friday)
    assert not is_business_day(good_friday, "57") and not is_business_day(good_friday, "6AE")
    assert next_business_day(date(2025, 12, 26)) == date(2025, 12, 26)
    assert next_business_day(date(2025, 12, 26), "57") == date(2025, 12, 29)
