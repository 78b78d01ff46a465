"""Scale benchmark: 1, 2 and 4 workers on PostgreSQL + Redis, then the cost per mail as stored mail grows."""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import harness
import scale_services as services
from mailgen import STAFF, make_template
from scale_backlog import print_backlog, run_backlog
from scale_explain import explain_all, print_plans
from scale_fill import fill_to, mail_count, table_sizes
from scale_measure import Batch, percentile, run_batch
from scale_report import print_volume_table, print_worker_table


class Run:
    """The gateway under test: one `serve --no-worker` for ingress, and the workers of the moment."""

    def __init__(self, args, work_dir: Path):
        self.args, self.work_dir = args, work_dir
        self.port = harness.free_port()
        self.env = services.gateway_env(work_dir / "var", self.port, args.worker_threads)
        self.ingress = services.start_ingress(self.env, work_dir / "var", self.port)
        self.workers: list[services.Worker] = []
        self.template = make_template(STAFF, args.size_kb)
        self.next_number = 0

    def use_workers(self, count: int) -> None:
        services.stop_workers(self.workers)
        self.workers = services.start_workers(count, self.env, self.work_dir)

    def batch(self, mails: int, rate: float | None = None) -> Batch:
        numbers = range(self.next_number, self.next_number + mails)
        self.next_number += mails
        roots = [self.ingress.pid, *(worker.process.pid for worker in self.workers)]
        return run_batch(self.port, self.template, numbers, self.args.connections, rate, self.args.batch_timeout, roots)

    def warm_up(self) -> None:
        # The first mails of fresh workers pay for imports, connections and caches: not measured.
        self.batch(self.args.warmup)

    def close(self) -> None:
        services.stop_workers(self.workers)
        self.ingress.stop()


def worker_stage(run: Run, args) -> dict[int, list[tuple[Batch, Batch]]]:
    """For each worker count: a burst (throughput) and a paced load (latency), `rounds` times, alternating."""
    results: dict[int, list[tuple[Batch, Batch]]] = {count: [] for count in args.workers}
    for number in range(args.rounds):
        # Alternate the order, so that the CPU's speed swings do not favour one count.
        order = args.workers if number % 2 == 0 else list(reversed(args.workers))
        for count in order:
            run.use_workers(count)
            run.warm_up()
            burst = run.batch(args.mails)
            paced = run.batch(args.paced_mails, rate=args.rate)
            results[count].append((burst, paced))
            print(
                f"  round {number + 1}, {count} worker(s): burst {burst.mails_per_second:.1f} mails/s,"
                f" paced p99 {1000 * percentile(paced.replied, 0.99):.0f} ms, states {burst.states | paced.states},"
                f" most attempts {max(burst.max_attempts, paced.max_attempts)}",
                flush=True,
            )
    return results


def volume_stage(run: Run, args) -> list[tuple[int, Batch, float]]:
    """At each stored volume: the same batch with the same workers; returns (volume, batch, fill seconds)."""
    results = []
    connection = services.connect()
    try:
        for volume in args.volumes:
            services.stop_workers(run.workers)
            run.workers = []
            added, fill_seconds = fill_to(connection, volume, args.raw_size)
            sizes = table_sizes(connection)
            print(
                f"  filled to {mail_count(connection):,} mails (+{added:,} in {fill_seconds:.0f} s;"
                f" mails {sizes['mails']}, outbox {sizes['outbox']})",
                flush=True,
            )
            run.use_workers(args.volume_workers)
            run.warm_up()
            batches = [run.batch(args.volume_mails) for _ in range(args.volume_rounds)]
            best = min(batches, key=lambda batch: batch.wall)
            results.append((mail_count(connection), best, fill_seconds))
            print(f"  {volume:,}: {1000 * best.wall / best.mails:.1f} ms per mail (best of {len(batches)})", flush=True)
        print_plans(explain_all(connection), mail_count(connection))
    finally:
        connection.close()
    return results


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    numbers = lambda text: [int(part) for part in text.split(",")]  # noqa: E731 - a one-line argparse type
    parser.add_argument("--workers", type=numbers, default=[1, 2, 4], help="worker counts (default 1,2,4)")
    parser.add_argument("--worker-threads", type=int, default=2, help="threads per worker (default %(default)s)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the worker stage (default %(default)s)")
    parser.add_argument("--mails", type=int, default=1000, help="mails per burst (default %(default)s)")
    parser.add_argument("--paced-mails", type=int, default=300, help="mails of the paced load (default %(default)s)")
    parser.add_argument("--rate", type=float, default=15, help="paced load, mails/s (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=40, help="unmeasured mails after workers start")
    parser.add_argument("--connections", type=int, default=4, help="SMTP sessions (default %(default)s)")
    parser.add_argument("--size-kb", type=float, default=85, help="size of the sent mails (default %(default)s)")
    parser.add_argument("--backlog", type=int, default=2000, help="mails of the backlog stage, 0: none")
    parser.add_argument("--backlog-workers", type=int, default=2, help="workers started on the backlog")
    parser.add_argument(
        "--volumes", type=numbers, default=[10_000, 100_000, 1_000_000], help="stored mails (default 10k,100k,1M)"
    )
    parser.add_argument("--volume-workers", type=int, default=2, help="workers of the volume stage")
    parser.add_argument("--volume-mails", type=int, default=600, help="mails per volume batch (default %(default)s)")
    parser.add_argument("--volume-rounds", type=int, default=2, help="batches per volume, best kept")
    parser.add_argument("--raw-size", type=int, default=2048, help="bytes of each past mail (default %(default)s)")
    parser.add_argument("--batch-timeout", type=float, default=900, help="seconds a batch may take")
    parser.add_argument("--skip-workers", action="store_true", help="only the volume stage")
    parser.add_argument("--skip-volumes", action="store_true", help="only the worker stage")
    parser.add_argument("--keep", action="store_true", help="keep the database and the work folder")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    harness.raise_on_sigterm()
    work_dir = Path(tempfile.mkdtemp(prefix="gateway-scale-"))
    started = time.monotonic()
    print(
        f"PostgreSQL {services.database_url()}, Redis {services.REDIS_URL}; {os.cpu_count()} cores;"
        f" {args.size_kb:g} KiB staff mails (each answered by a reply written to a Maildir),"
        f" {args.connections} SMTP sessions to serve --no-worker; {args.worker_threads} threads per worker;"
        f" gateway {harness.code_version()}; work folder {work_dir}",
        flush=True,
    )
    services.create_database()
    services.flush_redis()
    run = None
    try:
        run = Run(args, work_dir)
        if not args.skip_workers:
            print_worker_table(worker_stage(run, args), args)
        if args.backlog:
            print_backlog(run_backlog(run, args.backlog, args.backlog_workers))
        if not args.skip_volumes:
            print_volume_table(volume_stage(run, args), args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    finally:
        if run is not None:
            run.close()
        harness.cleanup()
        if not args.keep:
            services.drop_database()
            services.flush_redis()
            shutil.rmtree(work_dir, ignore_errors=True)
        print(f"\nrun took {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
