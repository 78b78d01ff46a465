"""Numbering under contention: N processes on PostgreSQL issue documents at once; prints rate, gaps, duplicates.

Each transaction is what `invoice issue` commits before rendering: the locked counter, the
computed document, the invoice row and its archive link (no PDF). The script creates a database
of its own beside the one given and drops it afterwards.

    .venv/bin/python benchmarks/numbering.py [--processes 8] [--total 10000] [--url postgresql+psycopg://…/test]
"""

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from scratch_database import scratch_database  # noqa: E402

DEFAULT_URL = os.environ.get("GATEWAY_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
EXAMPLE = ROOT / "config" / "examples" / "invoice.json"


def open_config(url: str, var_dir: str):
    from gateway.config import load_config

    return load_config(environ={"GATEWAY_STORAGE__DATABASE_URL": url, "GATEWAY_STORAGE__VAR_DIR": var_dir})


def issue_many(url: str, var_dir: str, count: int, start, results) -> None:
    """One issuing process: warm up, wait for the start signal, issue `count` documents."""
    from datetime import date

    from gateway.db import Database
    from invoicing.issue import issue_request
    from invoicing.request import parse_request

    config = open_config(url, var_dir)
    database = Database(config.database_url)
    request = parse_request(json.loads(EXAMPLE.read_text()))
    day = date.today()
    start.wait()
    latencies = []
    for _ in range(count):
        began = time.perf_counter()
        issue_request(database, config, request, today=day)
        latencies.append(time.perf_counter() - began)
    database.dispose()
    results.put(latencies)


def run(url: str, var_dir: str, processes: int, total: int) -> dict:
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    shares = [total // processes + (1 if index < total % processes else 0) for index in range(processes)]
    workers = [context.Process(target=issue_many, args=(url, var_dir, share, start, results)) for share in shares]
    for worker in workers:
        worker.start()
    time.sleep(3)  # Imports and connections happen before the clock starts.
    began = time.perf_counter()
    start.set()
    latencies = [value for _ in workers for value in results.get(timeout=3600)]
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join()
    return {"elapsed": elapsed, "latencies": sorted(latencies)}


def count_problems(url: str, total: int) -> dict:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*), count(DISTINCT number), count(DISTINCT seq), max(seq) FROM invoices")).one()
        links = connection.execute(text("SELECT count(*) FROM archive_entries")).scalar()
    engine.dispose()
    count, distinct_numbers, distinct_seqs, highest = rows
    return {
        "issued": count,
        "duplicates": count - distinct_numbers,
        # Missing sequence values below the highest one given (and below the total asked).
        "gaps": max(highest or 0, total) - distinct_seqs,
        "archive_links": links,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--total", type=int, default=10_000)
    parser.add_argument("--url", default=DEFAULT_URL, help="A PostgreSQL URL; the benchmark makes a database beside it.")
    arguments = parser.parse_args()
    from gateway.db import Database
    from invoicing.archive import verify_chain

    with scratch_database(arguments.url, "numbering_bench") as url, tempfile.TemporaryDirectory() as var_dir:
        Database(url).migrate()
        measured = run(url, var_dir, arguments.processes, arguments.total)
        problems = count_problems(url, arguments.total)
        began = time.perf_counter()
        intact = verify_chain(Database(url)) is None
        verify_seconds = time.perf_counter() - began
    latencies = measured["latencies"]
    print(f"processes {arguments.processes}, transactions {arguments.total}, {measured['elapsed']:.2f} s")
    print(f"invoices/s {arguments.total / measured['elapsed']:.0f} (target ≥ 200)")
    print(f"gaps {problems['gaps']}, duplicates {problems['duplicates']} (targets 0, 0); issued {problems['issued']}")
    print(f"latency p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms")
    print(f"archive: {problems['archive_links']} links, chain intact {intact}, verified in {verify_seconds:.2f} s")


if __name__ == "__main__":
    main()
