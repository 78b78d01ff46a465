"""Reads the answers of the benchmark's bills from the database and prints the round-trip figures."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import gatewaydb
from bill_sender import Load

TARGET_P50, TARGET_RATE = 1.0, 50.0


@dataclass(frozen=True)
class Answer:
    status: str
    reason: str
    template: str  # of the first outgoing row; "" when none (yet)
    created_at: float | None  # time.time() of that row's creation

    @property
    def done(self) -> bool:
        return bool(self.template) or self.status in gatewaydb.TERMINAL_STATES


def as_epoch(value) -> float:
    """A stored timestamp as time.time() seconds; SQLite returns text, naive times are UTC."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def answers_of(var_dir: Path, mail_ids: list[int]) -> dict[int, Answer]:
    if not mail_ids:
        return {}
    low, high = min(mail_ids), max(mail_ids)
    mails = gatewaydb.query(var_dir, "SELECT id, status, reason FROM mails WHERE id BETWEEN ? AND ?", (low, high))
    rows = gatewaydb.query(var_dir, "SELECT mail_id, template, created_at FROM outbox WHERE mail_id BETWEEN ? AND ? "
                                    "ORDER BY id", (low, high))
    first = {}
    for mail_id, template, created_at in rows:
        first.setdefault(mail_id, (template, as_epoch(created_at)))
    wanted = set(mail_ids)
    return {
        mail_id: Answer(status, reason or "", *first.get(mail_id, ("", None)))
        for mail_id, status, reason in mails if mail_id in wanted
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def print_report(args, load: Load, answered: dict[int, Answer]) -> None:
    sent = load.sent
    send_wall = load.ended_at - load.started_at
    print(f"\n{len(sent)} bills sent over {args.connections} connections, offered "
          f"{'as fast as possible' if args.rate <= 0 else f'{args.rate:g} bills/s'}; "
          f"{len(load.errors)} refused or broken")
    for error in load.errors[:5]:
        print(f"  {error}")
    smtp = [item.smtp_seconds for item in sent]
    if smtp:
        print(f"SMTP: {len(sent) / send_wall:.1f} accepted/s, DATA→250 p50 {percentile(smtp, .5) * 1000:.0f} ms, "
              f"p99 {percentile(smtp, .99) * 1000:.0f} ms")
    latencies = [answered[item.mail_id].created_at - item.accepted_at
                 for item in sent if item.mail_id in answered and answered[item.mail_id].created_at is not None]
    templates = Counter(answer.template or f"(none: {answer.status})" for answer in answered.values())
    print("answers: " + ", ".join(f"{name} {count}" for name, count in templates.most_common()))
    for answer in [a for a in answered.values() if a.status in ("failed", "quarantined")][:3]:
        print(f"  {answer.status}: {answer.reason[:200]}")
    if not latencies:
        print("no summary row was written")
        return
    created = sorted(answer.created_at for answer in answered.values() if answer.created_at is not None)
    last = created[-1]
    rate = len(latencies) / (last - load.started_at)
    # The pace of the summaries themselves, first to last: what the gateway keeps up with, whatever the
    # time the first one took and the last one's latency (which the figure above includes).
    pace = (len(created) - 1) / (created[-1] - created[0]) if len(created) > 1 and created[-1] > created[0] else 0.0
    p50, p99 = percentile(latencies, .5), percentile(latencies, .99)
    print(f"round trip 250 → summary row: p50 {p50 * 1000:.0f} ms, p90 {percentile(latencies, .9) * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms, min {min(latencies) * 1000:.0f} ms")
    print(f"sustained: {pace:.1f} bills/s from the first summary to the last; {rate:.1f} bills/s counted from "
          f"the first MAIL FROM ({len(latencies)} summaries in {last - load.started_at:.1f} s)")
    print(f"targets: p50 < {TARGET_P50:g} s {'met' if p50 < TARGET_P50 else 'MISSED'}; "
          f"≥ {TARGET_RATE:g} bills/s {'met' if pace >= TARGET_RATE else 'MISSED'}"
          + (" (offered below the target: run with --rate 0 or ≥ 50)" if 0 < args.rate < TARGET_RATE else ""))
