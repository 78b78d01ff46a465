"""SMTP ingest benchmark: `serve` against a bare aiosmtpd, in alternating rounds of one run."""

import argparse
import asyncio
import dataclasses
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import gatewaydb
import harness
import procinfo
from ingestreport import Round, print_round, print_summary
from mailgen import GATEWAY, STAFF, MailTemplate, make_template
from profiling import Profiler
from smtpload import (
    AsyncSession,
    LoadResult,
    ThreadSession,
    open_sessions,
    send_async,
    send_threads,
)


class Probe:
    """Called around the measured mails of a round: the CPU the server spent on them."""

    def __init__(self, server: harness.ManagedProcess):
        self.server = server
        self.cpu = self.machine_cpu = 0.0
        self.ended_at = 0.0

    def start(self) -> None:
        self.cpu = procinfo.cpu_seconds(self.server.pid)
        self.machine_cpu = procinfo.machine_cpu_seconds()

    def end(self) -> None:
        self.ended_at = time.monotonic()
        self.cpu = procinfo.cpu_seconds(self.server.pid) - self.cpu
        self.machine_cpu = procinfo.machine_cpu_seconds() - self.machine_cpu


class ServeProbe(Probe):
    """The same for `serve`, plus its worker: CPU, liveness, and the mails it finished in time."""

    def __init__(
        self, server: harness.ManagedProcess, var_dir: Path, tag: str, with_worker: bool, profiler: Profiler | None
    ):
        super().__init__(server)
        self.var_dir, self.tag, self.with_worker, self.profiler = var_dir, tag, with_worker, profiler
        self.worker: int | None = None
        self.worker_cpu = 0.0
        self.worker_state, self.processed = "not run", 0

    def start(self) -> None:
        if self.with_worker:
            # The warm-up's mails are answered first, so that the round starts from an idle worker.
            wait_drained(self.var_dir, 120.0)
            self.worker = harness.worker_pid(self.server.pid)
            self.worker_cpu = procinfo.cpu_seconds(self.worker) if self.worker else 0.0
        if self.profiler:
            self.profiler.start(self.server.pid, self.worker)
        super().start()

    def end(self) -> None:
        super().end()
        if self.profiler:
            self.profiler.stop()
        states = gatewaydb.mail_states(self.var_dir, f"<{self.tag}.%")
        self.processed = sum(n for state, n in states.items() if state in gatewaydb.TERMINAL_STATES)
        if not self.with_worker:
            return
        self.worker_cpu = procinfo.cpu_seconds(self.worker) - self.worker_cpu if self.worker else 0.0
        now = harness.worker_pid(self.server.pid)
        if self.worker is not None and now == self.worker and procinfo.is_running(self.worker):
            self.worker_state = "alive"
        else:
            self.worker_state = f"restarted (pid {self.worker} then {now})" if now else "missing"


def wait_drained(var_dir: Path, timeout: float) -> bool:
    """Wait until every stored mail is terminal and every reply sent; False on timeout."""
    deadline = time.monotonic() + timeout
    while gatewaydb.unfinished(var_dir):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def run_load(args, port: int, template: MailTemplate, probe: Probe) -> LoadResult:
    """Warm up, then send the round's mails over the same sessions, with the probe around them."""
    warm_up = dataclasses.replace(template, tag=template.tag + "w")
    envelope = (args.sender, GATEWAY)
    if args.client == "threads":
        sessions = [ThreadSession("127.0.0.1", port) for _ in range(args.connections)]
        try:
            send_threads(sessions, warm_up.data, range(args.warmup), envelope)
            probe.start()
            result = send_threads(sessions, template.data, range(args.mails), envelope)
            probe.end()
            return result
        finally:
            for session in sessions:
                session.close()
    return asyncio.run(run_async_load(args, port, template, warm_up, probe))


async def run_async_load(args, port: int, template: MailTemplate, warm_up: MailTemplate, probe: Probe) -> LoadResult:
    sessions: list[AsyncSession] = await open_sessions("127.0.0.1", port, args.connections)
    envelope = (args.sender, GATEWAY)
    try:
        await send_async(sessions, warm_up.data, range(args.warmup), envelope)
        probe.start()
        result = await send_async(sessions, template.data, range(args.mails), envelope)
        probe.end()
        return result
    finally:
        for session in sessions:
            session.close()


def bare_round(args, number: int, template: MailTemplate, work_dir: Path) -> Round:
    port = harness.free_port()
    argv = [harness.PYTHON, str(Path(__file__).with_name("bare_smtp.py")), "--port", str(port)]
    server = harness.ManagedProcess(argv, dict(os.environ), work_dir / "bare.log", port).start()
    try:
        probe = Probe(server)
        load = run_load(args, port, template, probe)
    finally:
        server.stop()
    return Round("bare", number, load, server_cpu=probe.cpu, machine_cpu=probe.machine_cpu)


def serve_round(args, number: int, template: MailTemplate, work_dir: Path, profiler: Profiler | None) -> Round:
    # Each round gets a fresh var dir: every serve round starts from an empty database.
    var_dir = work_dir / f"serve-{number}" / "var"
    port = harness.free_port()
    server = harness.start_serve(
        var_dir, port, with_worker=not args.no_worker, extra_env=harness.parse_env(args.serve_env)
    )
    try:
        probe = ServeProbe(server, var_dir, template.tag, not args.no_worker, profiler)
        load = run_load(args, port, template, probe)
        drained = not args.no_worker and wait_drained(var_dir, args.drain_timeout)
        drain = time.monotonic() - probe.ended_at if drained else None
        states = gatewaydb.mail_states(var_dir, f"<{template.tag}.%")
    finally:
        server.stop()
        shutil.rmtree(var_dir.parent, ignore_errors=True)
    return Round(
        "serve",
        number,
        load,
        probe.cpu,
        probe.worker_cpu,
        probe.worker_state,
        probe.processed,
        drain,
        states,
        probe.machine_cpu,
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of (bare, serve) (default %(default)s)")
    parser.add_argument("--mails", type=int, default=1000, help="measured mails per round (default %(default)s)")
    parser.add_argument(
        "--warmup", type=int, default=80, help="mails sent before each round is measured (default %(default)s)"
    )
    parser.add_argument("--connections", type=int, default=8, help="concurrent SMTP sessions (default %(default)s)")
    parser.add_argument("--size-kb", type=float, default=85, help="size of each mail in KiB (default %(default)s)")
    parser.add_argument(
        "--sender", default=STAFF, help="envelope and From address (staff mail is answered) (default %(default)s)"
    )
    parser.add_argument(
        "--client",
        choices=("threads", "asyncio"),
        default="threads",
        help="load generator: one smtplib thread per session (the cheaper) or asyncio sessions",
    )
    parser.add_argument(
        "--drain-timeout", type=float, default=120, help="seconds to wait for the backlog (default %(default)s)"
    )
    parser.add_argument(
        "--serve-env",
        action="append",
        default=[],
        metavar="GATEWAY_X__Y=VALUE",
        help="extra configuration for serve, repeatable (e.g. GATEWAY_QUEUE__WORKER_THREADS=1)",
    )
    parser.add_argument(
        "--no-worker", action="store_true", help="run serve without its worker (diagnosis: ingest alone)"
    )
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", help="py-spy profiles of serve and its worker (disturbs the figures)"
    )
    parser.add_argument("--profile-idle", action="store_true", help="with --profile: sample waiting threads too")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs) at the end")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    harness.raise_on_sigterm()
    work_dir = Path(tempfile.mkdtemp(prefix="gateway-ingest-"))
    template = make_template(args.sender, args.size_kb)
    profiler = Profiler(args.profile, idle=args.profile_idle) if args.profile else None
    print(
        f"{args.rounds} rounds of {args.mails} mails (after {args.warmup} warm-up) of {template.size / 1024:.1f} KiB"
        f" from {args.sender}, {args.connections} connections, {args.client} client;"
        f" bare = aiosmtpd with a no-op handler, serve = a fresh var dir each round;"
        f" gateway {harness.code_version()}; work folder {work_dir}",
        flush=True,
    )
    rounds: list[Round] = []
    interrupted = False
    try:
        for number in range(1, args.rounds + 1):
            rounds.append(bare_round(args, number, template, work_dir))
            print_round(rounds[-1])
            rounds.append(serve_round(args, number, template, work_dir, profiler))
            print_round(rounds[-1])
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        interrupted = True
    finally:
        if profiler:
            profiler.stop()
        harness.cleanup()
        if not args.keep:
            shutil.rmtree(work_dir, ignore_errors=True)
    print_summary(rounds)
    if profiler:
        profiler.report()
    if interrupted:
        sys.exit(130)


if __name__ == "__main__":
    main()
