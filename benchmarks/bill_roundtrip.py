"""Bill round trip: N text-PDF forwards over SMTP into `serve`; bills/s and latency from `250` to the summary row.

    .venv/bin/python benchmarks/bill_roundtrip.py [--count 200] [--connections 4] [--rate 50] [--profile]

`serve` runs on the embedded defaults (SQLite, in-process queue, Maildir) in a temporary folder.
`--rate` is the offered load in bills per second spread over the connections (0: as fast as they
go). Latency is the summary's Outbox.created_at minus the moment the client read `250`; both are
wall-clock times (time.time) of this machine. Targets (issue 7): p50 < 1 s and ≥ 50 bills/s.
"""

import argparse
import os
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

import harness
import procinfo
from bill_cpu import cpu_by_role, snapshot, worker_of
from bill_mails import GATEWAY, bill_mails
from bill_report import Answer, answers_of, print_report
from bill_sender import send_all
from profiling import Profiler


def wait_answered(var_dir: Path, mail_ids: list[int], timeout: float) -> dict[int, Answer]:
    """Poll the database until every mail has its first outgoing row or reached a terminal state."""
    deadline = time.time() + timeout
    while True:
        found = answers_of(var_dir, mail_ids)
        if all(answer.done for answer in found.values()) and len(found) == len(mail_ids):
            return found
        if time.time() > deadline:
            print(f"timed out after {timeout:.0f} s: {sum(a.done for a in found.values())} of {len(mail_ids)} done")
            return found
        time.sleep(0.02)


def run(args, work_dir: Path) -> None:
    tag = os.urandom(4).hex()
    started = time.time()
    mails = bill_mails(args.count + args.warmup, args.seed, tag)
    sizes = sorted(mail.pdf_size for mail in mails)
    print(f"{len(mails)} French text PDFs rendered in {time.time() - started:.1f} s "
          f"(PDF {sizes[0] // 1024}–{sizes[-1] // 1024} KiB, mail ≈ {len(mails[0].data) // 1024} KiB)")
    var_dir = work_dir / "var"
    port = harness.free_port()
    server = harness.start_serve(var_dir, port, extra_env=harness.parse_env(args.serve_env))
    profiler = Profiler(work_dir / "profile", idle=args.profile_idle) if args.profile or args.profile_idle else None
    try:
        # The first bills load the extraction libraries in the worker: answered before measuring.
        warm = send_all(port, mails[: args.warmup], min(args.connections, max(1, args.warmup)), 0)
        wait_answered(var_dir, [sent.mail_id for sent in warm.sent], args.timeout)
        if profiler:
            profiler.start(server.pid, worker_of(server.pid))
        cpu, wall, before = procinfo.machine_cpu_seconds(), time.time(), snapshot(server.pid)
        load = send_all(port, mails[args.warmup :], args.connections, args.rate)
        answered = wait_answered(var_dir, [sent.mail_id for sent in load.sent], args.timeout)
        spent = cpu_by_role(before, snapshot(server.pid))
        cpu, wall = procinfo.machine_cpu_seconds() - cpu, time.time() - wall
        if profiler:
            profiler.stop()
    finally:
        server.stop()
    print_report(args, load, answered)
    # Whether the machine was the limit: every process counts (serve, storage, worker, PDF readers).
    print(f"machine CPU: {cpu:.1f} s in {wall:.1f} s ({cpu / wall:.2f} of {os.cpu_count()} cores busy), "
          f"{cpu / max(1, len(load.sent)) * 1000:.0f} ms per bill")
    print("  per process: " + ", ".join(f"{role} {seconds / max(1, len(load.sent)) * 1000:.0f} ms/bill"
                                       for role, seconds in spent.most_common() if seconds > 0))
    if profiler:
        profiler.report()
    statuses = Counter(answer.status for answer in answered.values())
    if statuses.get("failed") or statuses.get("quarantined"):
        print(f"see {var_dir.parent / 'serve.log'} for the failures")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="bills measured (default 200)")
    parser.add_argument("--warmup", type=int, default=4, help="bills sent and answered before measuring")
    parser.add_argument("--connections", type=int, default=4, help="SMTP client connections (default 4)")
    parser.add_argument("--rate", type=float, default=50.0, help="offered bills/s; 0 sends as fast as possible")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated bills")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the summaries")
    parser.add_argument("--profile", action="store_true", help="sample serve and its worker with py-spy")
    parser.add_argument("--profile-idle", action="store_true", help="the same, waiting threads included")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (database, Maildir, log)")
    parser.add_argument("--serve-env", action="append", default=[], metavar="GATEWAY_X__Y=V",
                        help="extra environment for serve")
    args = parser.parse_args()
    harness.raise_on_sigterm()
    work_dir = Path(tempfile.mkdtemp(prefix="bill-roundtrip-"))
    print(f"bill round trip against {harness.code_version()} → {GATEWAY}, work folder {work_dir}")
    try:
        run(args, work_dir)
    finally:
        harness.cleanup()
        if args.keep:
            print(f"kept {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
