"""Crash-safety benchmark: mail sent to `serve` while it is SIGKILLed and restarted, then counted.

Modes: embedded (SQLite, the worker beside `serve`), or `--broker redis|rabbitmq` (PostgreSQL,
`serve` queueing to the broker, `--workers` standalone worker processes; at each kill point one
of them is SIGKILLed and restarted too).
"""

import argparse
import random
import shutil
import smtplib
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import gatewaydb
import harness
from crashcount import count_outcome, print_outcome
from crashmodes import Mode, open_mode
from mailgen import GATEWAY, STAFF, MailTemplate, make_template
from smtpload import SmtpError, ThreadSession

# What a failed connection or transaction can raise; the mail is then retried, as an MTA would.
TRANSIENT = (OSError, smtplib.SMTPException, SmtpError, TimeoutError)


@dataclass
class Ledger:
    """What the client knows of every mail: tries, and whether a 250 came back. Thread-safe."""

    total: int
    next_number: int = 0
    accepted: list[bool] = field(default_factory=list)
    already_stored: int = 0  # 250 answers saying the message had been stored before.
    retries: int = 0
    refused: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        self.accepted = [False] * self.total

    def take(self) -> int | None:
        with self.lock:
            if self.next_number >= self.total:
                return None
            self.next_number += 1
            return self.next_number - 1

    def done(self, number: int, code: int, text: str) -> None:
        with self.lock:
            if code == 250:
                self.accepted[number] = True
                self.already_stored += "Already stored" in text
            else:
                self.refused[code] = self.refused.get(code, 0) + 1

    def retried(self) -> None:
        with self.lock:
            self.retries += 1

    @property
    def accepted_count(self) -> int:
        return sum(self.accepted)


@dataclass
class Kill:
    at_accepted: int
    orphan_exit: float | None  # Seconds until the killed serve's worker had exited; None if it had to be killed.
    downtime: float  # Seconds from the kill until the new serve greeted.
    workers_killed: int = 0  # Standalone worker processes SIGKILLed (and restarted) at this point.


def connect(port: int, deadline: float) -> ThreadSession:
    """Open a session, trying again while `serve` is down, as an MTA's queue runner would."""
    while True:
        try:
            return ThreadSession("127.0.0.1", port, timeout=30)
        except TRANSIENT:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def send_one(session: ThreadSession, template: MailTemplate, number: int, sender: str) -> tuple[int, str]:
    try:
        code, text, _ = session.send(sender, GATEWAY, *template.data(number))
    except SmtpError as error:
        # A refusal of MAIL, RCPT or DATA ends the transaction as a final answer would.
        code, text = error.code, error.text
    return code, text


def sender_thread(ledger: Ledger, template: MailTemplate, port: int, sender: str, deadline: float) -> None:
    """Send mails one by one; a mail without a final answer is sent again on a new connection."""
    session = None
    number = ledger.take()
    while number is not None:
        if time.monotonic() > deadline:
            ledger.done(number, 0, "given up: no final answer before the send timeout")
            number = ledger.take()
            continue
        try:
            session = session or connect(port, deadline)
            code, text = send_one(session, template, number, sender)
        except TRANSIENT:
            close_quietly(session)
            session = None
            ledger.retried()
            continue
        if 400 <= code < 500:
            # A temporary refusal (451 while storage is busy, say): the same mail again, a little later.
            ledger.retried()
            time.sleep(0.2)
            continue
        ledger.done(number, code, text)
        number = ledger.take()
    close_quietly(session)


def close_quietly(session: ThreadSession | None) -> None:
    if session is not None:
        try:
            session.close()
        except TRANSIENT:
            pass


def kill_points(total: int, kills: int, rng: random.Random) -> list[int]:
    """One random moment in each of `kills` equal slices of the run, counted in accepted mails."""
    span = 0.9 * total / kills
    return [int(0.05 * total + span * (slot + rng.uniform(0.1, 0.9))) for slot in range(kills)]


def run_killer(ledger: Ledger, senders: list[threading.Thread], serve: list, workers: list, args,
               rng: random.Random) -> list[Kill]:
    """Kill `serve` (SIGKILL to its main process) at each point, wait for its worker, restart it;
    with a broker, SIGKILL one standalone worker too (each in turn) and start another."""
    kills = []
    for point in kill_points(args.mails, args.kills, rng):
        while ledger.accepted_count < point and any(thread.is_alive() for thread in senders):
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.5))
        victim = crash_a_worker(workers, len(kills))
        killed_at = time.monotonic()
        orphan_exit = serve[0].crash(args.orphan_timeout)
        harness.wait_port_free(args.port, args.orphan_timeout)
        at = ledger.accepted_count
        serve[0] = harness.start_serve(args.var_dir, args.port, args.rescan_seconds, extra_env=args.mode.env)
        kills.append(Kill(at, orphan_exit, time.monotonic() - killed_at, int(victim is not None)))
        if victim is not None:
            workers[victim] = harness.start_worker(args.var_dir, victim, args.rescan_seconds, args.mode.env)
        gone = f"{orphan_exit:.1f} s" if orphan_exit is not None else "the timeout (killed)"
        print(
            f"kill {len(kills)} at {at} accepted: worker gone after {gone},"
            f" serving again after {kills[-1].downtime:.1f} s"
            + (f"; worker process {victim} SIGKILLed and restarted" if victim is not None else ""),
            flush=True,
        )
    return kills


def crash_a_worker(workers: list, turn: int) -> int | None:
    """SIGKILL the standalone worker whose turn it is, in the middle of its work; return its index."""
    if not workers:
        return None
    index = turn % len(workers)
    workers[index].crash()
    return index


def wait_terminal(where: Path | str, tag: str, timeout: float) -> float | None:
    """Seconds until every stored mail is terminal and every reply sent, or None on timeout."""
    started = time.monotonic()
    while gatewaydb.unfinished(where, f"<{tag}.%"):
        if time.monotonic() - started > timeout:
            return None
        time.sleep(0.2)
    return time.monotonic() - started


def run(args, template: MailTemplate) -> tuple[Ledger, list[Kill], float | None]:
    ledger = Ledger(args.mails)
    serve = [harness.start_serve(args.var_dir, args.port, args.rescan_seconds, extra_env=args.mode.env)]
    workers = [harness.start_worker(args.var_dir, index, args.rescan_seconds, args.mode.env)
               for index in range(args.workers if args.mode.broker_url else 0)]
    deadline = time.monotonic() + args.send_timeout
    senders = [
        threading.Thread(target=sender_thread, args=(ledger, template, args.port, args.sender, deadline), daemon=True)
        for _ in range(args.connections)
    ]
    for thread in senders:
        thread.start()
    kills = run_killer(ledger, senders, serve, workers, args, random.Random(args.seed))
    for thread in senders:
        thread.join()
    print(f"all mails sent; waiting for the backlog (up to {args.wait_timeout:.0f} s)", flush=True)
    drained = wait_terminal(args.mode.database_url or args.var_dir, template.tag, args.wait_timeout)
    for process in [serve[0], *workers]:
        process.stop()
    return ledger, kills, drained


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mails", type=int, default=5000, help="mails to send (default %(default)s)")
    parser.add_argument("--kills", type=int, default=3, help="SIGKILLs of serve during the run (default %(default)s)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent SMTP sessions (default %(default)s)")
    parser.add_argument("--size-kb", type=float, default=85, help="size of each mail in KiB (default %(default)s)")
    parser.add_argument(
        "--sender", default=STAFF, help="envelope and From address (staff mail is answered) (default %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=None, help="seed of the kill moments (random when not given)")
    parser.add_argument("--rescan-seconds", type=int, help="GATEWAY_QUEUE__RESCAN_SECONDS; default the shipped 30")
    parser.add_argument(
        "--orphan-timeout",
        type=float,
        default=60,
        help="seconds to wait for a killed serve's worker (default %(default)s)",
    )
    parser.add_argument(
        "--send-timeout",
        type=float,
        default=600,
        help="seconds after which a mail is no longer retried (default %(default)s)",
    )
    parser.add_argument(
        "--wait-timeout",
        type=float,
        default=120,
        help="seconds to wait for every mail to be terminal (default %(default)s)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (database, outbox, logs) at the end")
    parser.add_argument(
        "--broker",
        choices=("redis", "rabbitmq"),
        help="PostgreSQL and this broker, with standalone workers (default: embedded, SQLite)",
    )
    parser.add_argument("--workers", type=int, default=2, help="standalone workers with --broker (default %(default)s)")
    args = parser.parse_args()
    args.seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    return args


def main() -> None:
    args = parse_args()
    harness.raise_on_sigterm()
    work_dir = Path(tempfile.mkdtemp(prefix="gateway-crash-"))
    args.var_dir, args.port = work_dir / "var", harness.free_port()
    template = make_template(args.sender, args.size_kb)
    args.mode = open_mode(args.broker)
    print(
        f"mode {args.mode.name}: {args.mails} mails of {template.size / 1024:.1f} KiB from {args.sender},"
        f" {args.connections} connections, {args.kills} kills (seed {args.seed}); work folder {work_dir};"
        f" gateway {harness.code_version()}"
        + (f"; {args.workers} standalone workers, broker {args.mode.broker_url}" if args.broker else ""),
        flush=True,
    )
    started = time.monotonic()
    try:
        ledger, kills, drained = run(args, template)
        outcome = count_outcome(args.var_dir, template, ledger, args.mode.database_url or None)
        print_outcome(outcome, ledger, kills, drained, time.monotonic() - started, args.mode.name)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    finally:
        harness.cleanup()
        close_mode(args.mode, args.keep)
        if not args.keep:
            shutil.rmtree(work_dir, ignore_errors=True)


def close_mode(mode: Mode, keep: bool) -> None:
    mode.close(keep_database=keep)


if __name__ == "__main__":
    main()
