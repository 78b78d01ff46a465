"""The figures of the ingest benchmark: one line per round, then the medians beside their targets."""

import statistics
from dataclasses import dataclass, field

from smtpload import LoadResult

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
    machine_cpu: float = 0.0  # CPU seconds of the whole machine during the measured mails.

    @property
    def others(self) -> float:
        """Cores that processes outside this benchmark kept busy on average: a disturbed round shows here."""
        ours = self.server_cpu + self.worker_cpu + self.load.client_cpu
        return max(0.0, self.machine_cpu - ours) / self.load.wall if self.load.wall else 0.0

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


def print_round(result: Round) -> None:
    load = result.load
    per_mail = 1000 / max(1, load.sent)
    line = (
        f"round {result.number} {result.kind:<5} {result.rate:7.1f} mails/s  p50 {result.latency_ms(50):6.1f} ms"
        f"  p99 {result.latency_ms(99):6.1f} ms  server CPU {result.server_cpu * per_mail:5.2f} ms/mail"
        f"  client CPU {load.client_cpu * per_mail:4.2f} ms/mail  other processes {result.others:4.2f} cores"
    )
    if result.kind == "serve" and result.worker == "not run":
        line += f"\n        no worker (--no-worker): ingest alone; states {result.states}"
    elif result.kind == "serve":
        drain = f"drained {result.drain:.1f} s after" if result.drain is not None else "NOT drained before the timeout"
        line += (
            f"\n        worker {result.worker}, CPU {result.worker_cpu * per_mail:5.2f} ms/mail;"
            f" processed at round end {result.processed_at_end}/{load.sent}; backlog {drain};"
            f" states {result.states}"
        )
    if load.refused or load.errors:
        line += f"\n        refused {load.refused} errors {load.errors[:3]}"
    print(line, flush=True)


def print_summary(rounds: list[Round]) -> None:
    bare = {r.number: r for r in rounds if r.kind == "bare"}
    serve = [r for r in rounds if r.kind == "serve"]
    if not serve:
        return
    ratios = [r.rate / bare[r.number].rate for r in serve if bare.get(r.number) and bare[r.number].rate]
    ratio = statistics.median(ratios) if ratios else float("nan")
    p99 = statistics.median(r.latency_ms(99) for r in serve) if serve else float("nan")
    workers = sorted({r.worker for r in serve})
    processed = sum(r.processed_at_end for r in serve)
    sent = sum(r.load.sent for r in serve)
    drains = [f"{r.drain:.1f}" if r.drain is not None else "-" for r in serve]
    print()
    print(
        f"median ratio serve/bare mails/s: {ratio:.2f}  (target >= {TARGET_RATIO}: {verdict(ratio >= TARGET_RATIO)})"
        f"  per round: {', '.join(f'{x:.2f}' for x in ratios)}"
    )
    print(f"median p99 of serve: {p99:.1f} ms  (target < {TARGET_P99_MS:.0f} ms: {verdict(p99 < TARGET_P99_MS)})")
    print(
        f"workers during serve rounds: {', '.join(workers)}; processed by round end: {processed}/{sent};"
        f" backlog drained after (s): {', '.join(drains)}"
    )


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"
