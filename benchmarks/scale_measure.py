"""One measured batch for the scale benchmark: send mails over SMTP, wait until all are answered, read the times."""

import threading
import time
from dataclasses import dataclass

import psycopg
import redis

import procinfo
import scale_services
from scale_cpu import CpuMeter
from mailgen import GATEWAY, STAFF, MailTemplate
from smtpload import ThreadSession

TERMINAL = ("processed", "ignored", "quarantined", "failed")


@dataclass
class Batch:
    """What one batch measured: throughput from the first mail sent to the last reply written."""

    mails: int
    wall: float  # Seconds from the first mail sent to the last mail terminal and its reply written.
    busy_cpu: float  # CPU seconds all cores spent meanwhile: everything on the machine, other work included.
    gateway_cpu: float  # CPU seconds of the gateway's own processes and their PostgreSQL backends.
    processing: list[float]  # Per mail: received_at → finished_at (terminal), seconds.
    replied: list[float]  # Per mail: received_at → the reply's sent_at (written to the Maildir), seconds.
    states: dict[str, int]
    max_attempts: int  # Processing attempts of the most tried mail: > 1 means a job ran twice.
    peak_queue: int  # Most messages seen in Redis at once (queued or being worked on).

    @property
    def mails_per_second(self) -> float:
        return self.mails / self.wall

    @property
    def cpu_ms_per_mail(self) -> float:
        return 1000 * self.gateway_cpu / self.mails

    @property
    def machine_ms_per_mail(self) -> float:
        return 1000 * self.busy_cpu / self.mails


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def high_water(connection: psycopg.Connection) -> tuple[int, int]:
    """The last mail and outbox ids: the batch's rows are those above (a primary-key range, cheap at 1 M rows)."""
    mail_id = connection.execute("SELECT coalesce(max(id), 0) FROM mails").fetchone()[0]
    outbox_id = connection.execute("SELECT coalesce(max(id), 0) FROM outbox").fetchone()[0]
    return mail_id, outbox_id


def send(port: int, template: MailTemplate, numbers: range, connections: int, rate: float | None) -> list[str]:
    """Send the mails over `connections` sessions; with `rate`, mail k leaves at k / rate seconds."""
    errors: list[str] = []
    queue, lock = iter(numbers), threading.Lock()
    started = time.monotonic()

    def drive() -> None:
        session = ThreadSession("127.0.0.1", port)
        try:
            while True:
                with lock:
                    number = next(queue, None)
                if number is None:
                    return
                if rate:
                    time.sleep(max(0.0, started + (number - numbers.start) / rate - time.monotonic()))
                code, text, _ = session.send(STAFF, GATEWAY, *template.data(number))
                if code != 250:
                    errors.append(f"mail {number}: {code} {text}")
        except Exception as error:  # noqa: BLE001 - a broken session is reported, not raised in a thread
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            session.close()

    threads = [threading.Thread(target=drive, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def wait_answered(connection, redis_client, marks: tuple[int, int], expected: int, timeout: float) -> int:
    """Wait until the batch's mails are all terminal and no reply is pending; returns the peak Redis queue."""
    mail_mark, outbox_mark = marks
    deadline, peak = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        peak = max(peak, redis_client.hlen("dramatiq:mail.msgs") + redis_client.hlen("dramatiq:outbox.msgs"))
        done = connection.execute(
            "SELECT count(*) FROM mails WHERE id > %s AND status = ANY(%s)", (mail_mark, list(TERMINAL))
        ).fetchone()[0]
        pending = connection.execute(
            "SELECT count(*) FROM outbox WHERE id > %s AND status = 'pending'", (outbox_mark,)
        ).fetchone()[0]
        if done >= expected and pending == 0:
            return peak
        time.sleep(0.05)
    raise TimeoutError(f"batch not answered within {timeout:.0f} s ({done} of {expected} terminal, {pending} replies pending)")


def read_times(connection, marks: tuple[int, int]) -> list[tuple]:
    """Per mail of the batch: status, attempts, received, finished and reply times (epoch seconds)."""
    return connection.execute(
        """SELECT m.status, m.attempts, extract(epoch FROM m.received_at), extract(epoch FROM m.finished_at),
                  extract(epoch FROM max(o.sent_at))
           FROM mails m LEFT JOIN outbox o ON o.mail_id = m.id AND o.id > %s
           WHERE m.id > %s GROUP BY m.id""",
        (marks[1], marks[0]),
    ).fetchall()


def run_batch(port: int, template: MailTemplate, numbers: range, connections: int, rate: float | None,
              timeout: float, roots: list[int]) -> Batch:
    """Send one batch and measure it end to end; `roots` are the gateway's processes (serve, workers)."""
    redis_client = redis.Redis.from_url(scale_services.REDIS_URL)
    meter = CpuMeter(roots)
    with scale_services.connect() as connection:
        marks = high_water(connection)
        meter.start()
        cpu, first_sent = procinfo.machine_cpu_seconds(), time.time()
        errors = send(port, template, numbers, connections, rate)
        if errors:
            raise RuntimeError(f"{len(errors)} mails not accepted, first: {errors[0]}")
        peak = wait_answered(connection, redis_client, marks, len(numbers), timeout)
        busy = procinfo.machine_cpu_seconds() - cpu
        gateway_cpu = meter.stop()
        rows = read_times(connection, marks)
    redis_client.close()
    last = max(max(row[3] or 0, row[4] or 0) for row in rows)
    states: dict[str, int] = {}
    for row in rows:
        states[row[0]] = states.get(row[0], 0) + 1
    return Batch(
        mails=len(rows),
        wall=float(last) - first_sent,
        busy_cpu=busy,
        gateway_cpu=gateway_cpu,
        processing=[float(row[3] - row[2]) for row in rows if row[3] is not None],
        replied=[float(row[4] - row[2]) for row in rows if row[4] is not None],
        states=states,
        max_attempts=max(row[1] for row in rows),
        peak_queue=peak,
    )
