"""The reminder tick on PostgreSQL with N invoices at every stage: one tick, an empty tick, a Saturday tick.

Creates a database of its own beside the one given, fills it in bulk (benchmarks/tick_data.py:
invoices before their due date, at J-1, J+7, J+15, J+30 and past the ladder, some paid, paused,
disputed, stopped or partly paid, as daily ticks up to yesterday left them), runs `gateway.tick.tick`
at a business-day `--now` within sending hours, runs it again at once (nothing is due any more),
then on the Saturday after, and drops the database. Prints figures; it is not a test.

    .venv/bin/python benchmarks/tick.py [--invoices 100000] [--clients N] [--now 2026-12-08T10:00] [--profile]
"""

import argparse
import cProfile
import contextlib
import os
import pstats
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text  # noqa: E402
from scratch_database import scratch_database  # noqa: E402

DEFAULT_URL = os.environ.get("GATEWAY_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TICK_TARGET, EMPTY_TARGET = 5.0, 0.1
# Rows the tick has to send for today: open and due, or paused with a pause ending today and a step due.
DUE_SQL = """SELECT count(*) FROM receivables WHERE next_on <= :day
             AND (state = 'open' OR (state = 'paused' AND paused_until <= :day))"""
# Where a profiled tick spends its time: (label, end of the file's path, function), summed from cProfile.
PHASES = (
    ("job reminders.resume", "receivables/sending.py", "resume_paused"),
    ("job reminders.send", "receivables/sending.py", "send_due_reminders"),
    ("  due rows read (_due_batch)", "receivables/sending.py", "_due_batch"),
    ("  plans (_plan)", "receivables/sending.py", "_plan"),
    ("  steps claimed (_claim)", "receivables/sending.py", "_claim"),
    ("  settlements read", "receivables/sending.py", "_settlements_of"),
    ("  reminder rendered (_reminder_row)", "receivables/sending.py", "_reminder_row"),
    ("    template render", "gateway/templating.py", "render"),
    ("    penalty_view", "receivables/views.py", "penalty_view"),
    ("    make_msgid", "email/utils.py", "make_msgid"),
    ("  next step (_advance)", "receivables/sending.py", "_advance"),
    ("  batch rows written (_send_batch)", "receivables/sending.py", "_send_batch"),
    ("  escalation mails (escalate_due)", "receivables/sending.py", "escalate_due"),
    ("    its invoice views (_views)", "receivables/escalation.py", "_views"),
    ("history lines (add_events)", "receivables/ledger.py", "add_events"),
    ("ORM autoflush (before a query)", "orm/session.py", "_autoflush"),
    ("ORM flush", "orm/session.py", "flush"),
    ("commit", "orm/session.py", "commit"),
    ("job retention.ignored", "gateway/retention.py", "purge_ignored"),
    ("job retention.expired", "gateway/retention.py", "purge_expired"),
    ("  retention: reflect tables (mail_links)", "gateway/retention.py", "mail_links"),
    ("SQL, one statement (do_execute)", "engine/default.py", "do_execute"),
    ("SQL, many rows (do_executemany)", "engine/default.py", "do_executemany"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=0, help="default: one client per 20 invoices")
    parser.add_argument("--now", default="2026-12-08T10:00", help="a business day within hours, Europe/Paris")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--manager", default="direction@exemple.test", help="who gets escalations; '' for none")
    parser.add_argument("--url", default=DEFAULT_URL, help="a PostgreSQL database; the script creates its own beside it")
    parser.add_argument("--profile", action="store_true", help="run the first and the empty tick under cProfile; print where time goes")
    args = parser.parse_args()
    with scratch_database(args.url, "tick_bench") as url, tempfile.TemporaryDirectory() as var_dir:
        run(url, var_dir, args)
    return 0


def run(url: str, var_dir: str, args) -> None:
    from tick_data import build_rows, insert_rows
    from gateway.config import load_config
    from gateway.db import Database
    from gateway.tick import tick

    config = load_config(environ={"GATEWAY_STORAGE__DATABASE_URL": url, "GATEWAY_STORAGE__VAR_DIR": var_dir,
                                  "GATEWAY_MAIL__MANAGER": args.manager})
    now = datetime.fromisoformat(args.now).replace(tzinfo=config.timezone)
    today, saturday = now.date(), now + timedelta(days=(5 - now.weekday()) % 7)
    database = Database(url)
    try:
        database.migrate()
        began = time.perf_counter()
        rows = build_rows(config, today, args.invoices, args.clients or max(1, args.invoices // 20), args.seed)
        built = time.perf_counter() - began
        insert_rows(database.engine, rows)
        print(f"filled in {built:.1f} s (rows built) + {time.perf_counter() - began - built:.1f} s (insert, VACUUM ANALYZE)")
        print("fates: " + ", ".join(f"{name} {count}" for name, count in sorted(rows.fates.items())))
        due = count(database, DUE_SQL, today)
        statement, plan = due_query_plan(database, today)
        first = measure(database, lambda: tick(database, config, now), args.profile)
        written = count(database, "SELECT count(*) FROM outbox")
        escalations = count(database, "SELECT count(*) FROM outbox WHERE template = 'reminders_escalation'")
        claims = steps_claimed(database, today)
        empty = measure(database, lambda: tick(database, config, now), args.profile)
        empty_written = count(database, "SELECT count(*) FROM outbox") - written
        _, empty_plan = due_query_plan(database, today)
        weekend = measure(database, lambda: tick(database, config, saturday))
    finally:
        database.dispose()
    print_figures(args.invoices, due, written, escalations, claims, first, empty, empty_written, weekend)
    print(f"\ndue-rows query (receivables.sending.due_ids_query):\n{statement}")
    for moment, lines in (("before the tick", plan), ("after the tick, nothing due", empty_plan)):
        print(f"\nEXPLAIN ANALYZE {moment}: ix_receivables_due {'used' if uses_index(lines) else 'NOT used'}")
        print("\n".join("  " + line for line in lines))


def measure(database, work, profile: bool = False) -> dict:
    """Wall time of `work`, its result, and the SQL it sent (statements, time spent in the driver)."""
    sql, kinds = {"statements": 0, "seconds": 0.0}, Counter()

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["sql_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        elapsed = time.perf_counter() - conn.info.pop("sql_started")
        sql["statements"] += 1
        sql["seconds"] += elapsed
        kinds[(statement_kind(statement), "statements")] += 1
        kinds[(statement_kind(statement), "seconds")] += elapsed

    event.listen(database.engine, "before_cursor_execute", before)
    event.listen(database.engine, "after_cursor_execute", after)
    profiler = cProfile.Profile() if profile else None
    try:
        began = time.perf_counter()
        with profiler or contextlib.nullcontext():
            result = work()
        seconds = time.perf_counter() - began
    finally:
        event.remove(database.engine, "before_cursor_execute", before)
        event.remove(database.engine, "after_cursor_execute", after)
    if profiler is not None:
        print_profile(profiler, seconds)
    return {"seconds": seconds, "result": result, "kinds": kinds, **{f"sql_{key}": value for key, value in sql.items()}}


def statement_kind(statement: str) -> str:
    """"INSERT receivable_events", "UPDATE receivables", "SELECT receivables": what a statement does, to which table."""
    words = statement.split()
    verb = words[0].upper()
    if verb in ("INSERT", "DELETE"):
        return f"{verb} {words[2]}"
    if verb == "UPDATE":
        return f"{verb} {words[1]}"
    return f"{verb} {words[words.index('FROM') + 1]}" if "FROM" in words else verb


def due_query_plan(database, today) -> tuple[str, list[str]]:
    """The due-rows query of the tick (receivables.sending.due_ids_query) and PostgreSQL's EXPLAIN ANALYZE of it."""
    from receivables.sending import due_ids_query

    statement = str(due_ids_query(today).compile(dialect=database.engine.dialect, compile_kwargs={"literal_binds": True}))
    with database.engine.connect() as connection:
        plan = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement).scalars().all()
        connection.rollback()
    return " ".join(statement.split()), plan


def steps_claimed(database, today) -> dict[str, int]:
    """How many steps the tick claimed today: sent ones by step name, and those skipped."""
    with database.engine.connect() as connection:
        rows = connection.execute(text("""SELECT CASE WHEN outcome = 'sent' THEN step ELSE 'skipped' END, count(*)
                                          FROM reminder_sends WHERE sent_on = :day GROUP BY 1 ORDER BY 1"""), {"day": today})
        return dict(rows.all())


def uses_index(plan: list[str]) -> bool:
    return any("ix_receivables_due" in line for line in plan)


def print_figures(invoices, due, written, escalations, claims, first, empty, empty_written, weekend) -> None:
    jobs = first["result"] or {}
    verdict = "PASS" if first["seconds"] < TICK_TARGET else "MISS"
    empty_verdict = "PASS" if empty["seconds"] < EMPTY_TARGET and empty_written == 0 else "MISS"
    lines = [
        ("invoices", f"{invoices}"),
        ("due for today before the tick", f"{due}"),
        ("steps claimed today", ", ".join(f"{step} {number}" for step, number in claims.items())),
        ("mails written (outbox rows)", f"{written}"),
        ("  of which escalation mails", f"{escalations}"),
        ("tick counts per job", ", ".join(f"{name} {value}" for name, value in jobs.items())),
        ("tick time", f"{first['seconds']:.2f} s   target < {TICK_TARGET:.0f} s: {verdict}"),
        ("  SQL in the tick", f"{first['sql_statements']} statements, {first['sql_seconds']:.2f} s in the driver"),
        ("mails written per second", f"{written / first['seconds']:.0f}"),
        ("empty tick time", f"{empty['seconds'] * 1000:.1f} ms   target < {EMPTY_TARGET * 1000:.0f} ms and 0 written "
                            f"({empty_written} written): {empty_verdict}"),
        ("  SQL in the empty tick", f"{empty['sql_statements']} statements, {empty['sql_seconds'] * 1000:.1f} ms"),
        ("Saturday tick time", f"{weekend['seconds'] * 1000:.1f} ms   counts {weekend['result']}"),
    ]
    print()
    for label, value in lines:
        print(f"{label:<32} {value}")
    for name, measured in (("tick", first), ("empty tick", empty)):
        print(f"\nSQL of the {name} by statement (count, time in the driver):")
        kinds = measured["kinds"]
        for kind in sorted({kind for kind, _ in kinds}, key=lambda kind: -kinds[(kind, "seconds")])[:10]:
            print(f"  {kind:<36} {kinds[(kind, 'statements')]:6d}  {kinds[(kind, 'seconds')] * 1000:8.1f} ms")


def print_profile(profiler: cProfile.Profile, seconds: float) -> None:
    """Cumulative time of the tick's phases (a function called inside another counts in both)."""
    stats = pstats.Stats(profiler).stats
    print(f"\nprofile of a tick ({seconds:.2f} s under cProfile; cumulative, nested phases indented)")
    for label, path_end, name in PHASES:
        found = [(calls, cumulative) for (path, _, function), (_, calls, _, cumulative, _) in stats.items()
                 if function == name and path.endswith(path_end)]
        for calls, cumulative in found:
            print(f"  {label:<42} {cumulative:7.2f} s  {100 * cumulative / seconds:5.1f} %  {calls} calls")


def count(database, sql: str, day=None) -> int:
    with database.engine.connect() as connection:
        return connection.execute(text(sql), {"day": day} if day else {}).scalar()


if __name__ == "__main__":
    sys.exit(main())
