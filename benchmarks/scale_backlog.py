"""The backlog stage: mail queued in Redis while no worker runs, then workers started on it.

This is what a restart (or a deployment) of the workers meets after a burst: it shows how many jobs
the workers' start-up queueing and their rescans add to the broker on top of the mails waiting.
"""

import time
from dataclasses import dataclass

import redis

import scale_services as services
from scale_measure import high_water, send, wait_answered


@dataclass
class Backlog:
    mails: int
    workers: int
    queued_before: int  # Jobs in Redis once every mail was stored, before any worker started.
    peak: int  # Most jobs seen in Redis while the workers drained the backlog.
    drain: float  # Seconds from the workers' start to the last reply written.
    max_attempts: int
    states: dict[str, int]


def run_backlog(run, mails: int, workers: int) -> Backlog:
    """Stop the workers, send `mails`, then start `workers` and wait until every mail is answered."""
    services.stop_workers(run.workers)
    run.workers = []
    client = redis.Redis.from_url(services.REDIS_URL)
    with services.connect() as connection:
        marks = high_water(connection)
        numbers = range(run.next_number, run.next_number + mails)
        run.next_number += mails
        errors = send(run.port, run.template, numbers, run.args.connections, None)
        if errors:
            raise RuntimeError(f"{len(errors)} mails not accepted, first: {errors[0]}")
        queued = client.hlen("dramatiq:mail.msgs")
        started = time.monotonic()
        run.workers = services.start_workers(workers, run.env, run.work_dir)
        peak = wait_answered(connection, client, marks, mails, run.args.batch_timeout)
        drain = time.monotonic() - started
        states = dict(
            connection.execute("SELECT status, count(*) FROM mails WHERE id > %s GROUP BY status", (marks[0],)).fetchall()
        )
        attempts = connection.execute("SELECT max(attempts) FROM mails WHERE id > %s", (marks[0],)).fetchone()[0]
    client.close()
    return Backlog(mails, workers, queued, max(peak, queued), drain, attempts, states)


def print_backlog(result: Backlog) -> None:
    print(
        f"\nbacklog: {result.mails} mails stored and queued with no worker running ({result.queued_before} jobs in"
        f" Redis), then {result.workers} workers started: drained in {result.drain:.0f} s,"
        f" peak {result.peak} jobs in Redis ({result.peak / result.mails:.1f} per mail),"
        f" most attempts {result.max_attempts}, states {result.states}"
    )
