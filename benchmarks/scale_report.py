"""Prints the scale benchmark's two tables: per worker count, and per stored volume."""

import statistics

from scale_measure import Batch, percentile


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.0f} ms"


def _median_batch(batches: list[Batch]) -> Batch:
    """The batch of median throughput (the lower middle one when even), kept whole for its other figures."""
    ordered = sorted(batches, key=lambda batch: batch.mails_per_second)
    return ordered[(len(ordered) - 1) // 2]


def print_worker_table(results: dict[int, list[tuple[Batch, Batch]]], args) -> None:
    print(
        f"\nworkers: burst = {args.mails} mails sent at once (throughput: first mail sent → last reply written);"
        f" paced = {args.paced_mails} mails at {args.rate:g}/s (latency); median of {args.rounds} round(s)"
    )
    header = (
        f"{'workers':>7} {'mails/s':>8} {'speed-up':>8} {'CPU/mail':>9} {'machine':>9} {'burst p99':>10}"
        f" {'paced p50':>10} {'paced p99':>10} {'redis peak':>10} {'attempts':>8}  rounds mails/s"
    )
    print(header)
    base = None
    for count, pairs in results.items():
        bursts, paced = [pair[0] for pair in pairs], [pair[1] for pair in pairs]
        burst = _median_batch(bursts)
        speed = statistics.median(batch.mails_per_second for batch in bursts)
        base = base or speed
        replied = [value for batch in paced for value in batch.replied]
        attempts = max(batch.max_attempts for batch in bursts + paced)
        print(
            f"{count:>7} {speed:>8.1f} {speed / base:>7.2f}x {burst.cpu_ms_per_mail:>6.1f} ms {burst.machine_ms_per_mail:>6.1f} ms"
            f" {_ms(percentile(burst.replied, 0.99)):>10} {_ms(percentile(replied, 0.5)):>10}"
            f" {_ms(percentile(replied, 0.99)):>10} {max(b.peak_queue for b in bursts):>10} {attempts:>8}"
            f"  {', '.join(f'{batch.mails_per_second:.1f}' for batch in bursts)}"
        )
    print(
        "  CPU/mail: CPU of serve, the workers and their PostgreSQL backends per burst mail; machine: busy CPU of all"
        " the machine (SMTP client, Redis, other work included);"
        " burst p99: received → reply written, queue wait included; attempts: most processing attempts of one mail"
    )


def print_volume_table(results: list[tuple[int, Batch, float]], args) -> None:
    print(
        f"\nstored volume: {args.volume_mails} mails sent at once to {args.volume_workers} workers, best of"
        f" {args.volume_rounds} batches per volume; past mails of {args.raw_size} bytes with a sent reply each"
    )
    print(
        f"{'stored mails':>12} {'mails/s':>8} {'ms/mail':>8} {'ratio':>6} {'CPU/mail':>9} {'ratio':>6}"
        f" {'machine':>9} {'p99':>8} {'fill':>7}"
    )
    base_cpu = None
    base = None
    for volume, batch, fill_seconds in results:
        per_mail = 1000 * batch.wall / batch.mails
        base, base_cpu = base or per_mail, base_cpu or batch.cpu_ms_per_mail
        print(
            f"{volume:>12,} {batch.mails_per_second:>8.1f} {per_mail:>8.2f} {per_mail / base:>6.2f}"
            f" {batch.cpu_ms_per_mail:>6.1f} ms {batch.cpu_ms_per_mail / base_cpu:>6.2f}"
            f" {batch.machine_ms_per_mail:>6.1f} ms {_ms(percentile(batch.replied, 0.99)):>8} {fill_seconds:>6.0f}s"
        )
    print(
        "  ms/mail: wall time of the batch per mail; CPU/mail: serve, workers and their PostgreSQL backends;"
        " ratios: against the first volume; p99: received → reply written"
    )
