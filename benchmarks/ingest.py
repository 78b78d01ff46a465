"""SMTP ingest benchmark: `serve` against a bare aiosmtpd, in alternating rounds of one run."""

import argparse
import asyncio
import dataclasses
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import harness
from mailgen import GATEWAY, STAFF, MailTemplate, make_template
from profiling import Profiler
from smtpload import AsyncSession, LoadResult, ThreadSession, open_sessions, send_async, send_threads

TARGET_RATIO = 0.8
TARGET_P99_MS = 50.0


@dataclass
class Round:
    """The figures of one round against one server."""

    kind: str
    number: int
    load: LoadResult
    server_cpu: float = 0.0  # CPU seconds of the SMTP process during the measured mails.
    worker_cpu: float = 0.0
    worker: str = ""  # "alive", "restarted" or "missing": the worker of `serve` during the round.
    processed_at_end: int = 0  # The round's mails already terminal when its last mail was answered.
    drain: float | None = None  # Seconds after the round until the worker owed nothing.
    states: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.load.sent / self.load.wall if self.load.wall else 0.0

    def latency_ms(self, q: float) -> float:
        return percentile(self.load.latencies, q) * 1000


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile; q in [0, 100]."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


class Probe:
    """Called around the measured mails of a round: the CPU the server spent on them."""

    def __init__(self, server: harness.ManagedProcess):
        self.server = server
        self.cpu = 0.0
        self.ended_at = 0.0

    def start(self) -> None:
        self.cpu = harness.cpu_seconds(self.server.pid)

    def end(self) -> None:
        self.ended_at = time.monotonic()
        self.cpu = harness.cpu_seconds(self.server.pid) - self.cpu


class ServeProbe(Probe):
    """The same for `serve`, plus its worker: CPU, liveness, and the mails it finished in time."""

    def __init__(self, server: harness.ManagedProcess, var_dir: Path, tag: str, with_worker: bool, profiler: Profiler | None):
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
            self.worker_cpu = harness.cpu_seconds(self.worker) if self.worker else 0.0
        if self.profiler:
            self.profiler.start(self.server.pid, self.worker)
        super().start()

    def end(self) -> None:
        super().end()
        if self.profiler:
            self.profiler.stop()
        states = harness.mail_states(self.var_dir, f"<{self.tag}.%")
        self.processed = sum(n for state, n in states.items() if state in harness.TERMINAL_STATES)
        if not self.with_worker:
            return
        self.worker_cpu = harness.cpu_seconds(self.worker) - self.worker_cpu if self.worker else 0.0
        now = harness.worker_pid(self.server.pid)
        if self.worker is not None and now == self.worker and harness.is_running(self.worker):
            self.worker_state = "alive"
        else:
            self.worker_state = f"restarted (pid {self.worker} then {now})" if now else "missing"


def wait_drained(var_dir: Path, timeout: float) -> bool:
    """Wait until every stored mail is terminal and every reply sent; False on timeout."""
    deadline = time.monotonic() + timeout
    while harness.unfinished(var_dir):
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
    return Round("bare", number, load, server_cpu=probe.cpu)


def serve_round(args, number: int, template: MailTemplate, work_dir: Path, profiler: Profiler | None) -> Round:
    # Each round gets a fresh var dir: every serve round starts from an empty database.
    var_dir = work_dir / f"serve-{number}" / "var"
    port = harness.free_port()
    server = harness.start_serve(var_dir, port, with_worker=not args.no_worker)
    try:
        probe = ServeProbe(server, var_dir, template.tag, not args.no_worker, profiler)
        load = run_load(args, port, template, probe)
        drained = not args.no_worker and wait_drained(var_dir, args.drain_timeout)
        drain = time.monotonic() - probe.ended_at if drained else None
        states = harness.mail_states(var_dir, f"<{template.tag}.%")
    finally:
        server.stop()
        shutil.rmtree(var_dir.parent, ignore_errors=True)
    return Round("serve", number, load, probe.cpu, probe.worker_cpu, probe.worker_state, probe.processed, drain, states)


def print_round(result: Round) -> None:
    load = result.load
    line = (
        f"round {result.number} {result.kind:<5} {result.rate:7.1f} mails/s  p50 {result.latency_ms(50):6.1f} ms"
        f"  p99 {result.latency_ms(99):6.1f} ms  server CPU {1000 * result.server_cpu / max(1, load.sent):5.2f} ms/mail"
        f"  client CPU {1000 * load.client_cpu / max(1, load.sent):5.2f} ms/mail"
    )
    if result.kind == "serve":
        drain = f"{result.drain:.1f} s" if result.drain is not None else "not drained"
        line += (
            f"\n        worker {result.worker}, CPU {1000 * result.worker_cpu / max(1, load.sent):5.2f} ms/mail;"
            f" processed at round end {result.processed_at_end}/{load.sent}; backlog drained {drain} after;"
            f" states {result.states}"
        )
    if load.refused or load.errors:
        line += f"\n        refused {load.refused} errors {load.errors[:3]}"
    print(line, flush=True)


def print_summary(rounds: list[Round]) -> None:
    bare = {r.number: r for r in rounds if r.kind == "bare"}
    serve = [r for r in rounds if r.kind == "serve"]
    ratios = [r.rate / bare[r.number].rate for r in serve if bare.get(r.number) and bare[r.number].rate]
    ratio = statistics.median(ratios) if ratios else float("nan")
    p99 = statistics.median(r.latency_ms(99) for r in serve) if serve else float("nan")
    workers = sorted({r.worker for r in serve})
    processed = sum(r.processed_at_end for r in serve)
    sent = sum(r.load.sent for r in serve)
    drains = [f"{r.drain:.1f}" if r.drain is not None else "timeout" for r in serve]
    print()
    print(f"median ratio serve/bare mails/s: {ratio:.2f}  (target >= {TARGET_RATIO})  per round: {', '.join(f'{x:.2f}' for x in ratios)}")
    print(f"median p99 of serve: {p99:.1f} ms  (target < {TARGET_P99_MS:.0f} ms)")
    print(f"workers during serve rounds: {', '.join(workers)}; processed by round end: {processed}/{sent};"
          f" backlog drained after (s): {', '.join(drains)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of (bare, serve); default 5")
    parser.add_argument("--mails", type=int, default=1000, help="measured mails per round; default 1000")
    parser.add_argument("--warmup", type=int, default=80, help="mails sent before each round is measured; default 80")
    parser.add_argument("--connections", type=int, default=8, help="concurrent SMTP sessions; default 8")
    parser.add_argument("--size-kb", type=float, default=85, help="size of each mail in KiB; default 85")
    parser.add_argument("--sender", default=STAFF, help=f"envelope and From address; default {STAFF} (staff: answered)")
    parser.add_argument("--client", choices=("threads", "asyncio"), default="threads",
                        help="load generator: one smtplib thread per session (default, the cheaper) or asyncio sessions")
    parser.add_argument("--drain-timeout", type=float, default=120, help="seconds to wait for the backlog; default 120")
    parser.add_argument("--no-worker", action="store_true", help="run serve without its worker (diagnosis: ingest alone)")
    parser.add_argument("--profile", type=Path, help="folder for py-spy profiles of serve and its worker (disturbs the figures)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs) at the end")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    harness.raise_on_sigterm()
    work_dir = Path(tempfile.mkdtemp(prefix="gateway-ingest-"))
    template = make_template(args.sender, args.size_kb)
    profiler = Profiler(args.profile) if args.profile else None
    print(f"{args.rounds} rounds of {args.mails} mails of {template.size / 1024:.1f} KiB from {args.sender},"
          f" {args.connections} connections, {args.client} client; work folder {work_dir}", flush=True)
    rounds: list[Round] = []
    try:
        for number in range(1, args.rounds + 1):
            rounds.append(bare_round(args, number, template, work_dir))
            print_round(rounds[-1])
            rounds.append(serve_round(args, number, template, work_dir, profiler))
            print_round(rounds[-1])
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    finally:
        if profiler:
            profiler.stop()
        harness.cleanup()
        if not args.keep:
            shutil.rmtree(work_dir, ignore_errors=True)
    print_summary(rounds)
    if profiler:
        profiler.report()


if __name__ == "__main__":
    main()
