"""CPU time of the gateway under test alone: serve, its children, the workers and their PostgreSQL backends."""

from pathlib import Path

import procinfo
import scale_services


def _postgres_backends() -> list[int]:
    # A backend's command line names its database: "postgres: 15/main: postgres scale_bench 127.0.0.1(…) idle".
    marker = f" {scale_services.DATABASE} "
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        line = procinfo.command_line(int(entry.name))
        if line.startswith("postgres:") and marker in line:
            pids.append(int(entry.name))
    return pids


def gateway_pids(roots: list[int]) -> list[int]:
    """The given processes, their children, and every backend connected to the benchmark's database."""
    pids = set(roots)
    for root in roots:
        pids.update(procinfo.children_of(root))
    pids.update(_postgres_backends())
    return sorted(pids)


class CpuMeter:
    """CPU seconds the gateway's processes spent between `start` and `stop`; a process born meanwhile counts whole.

    Other work on the machine (another helper's tests, say) is left out, which the machine's busy time is not.
    """

    def __init__(self, roots: list[int]):
        self.roots = roots
        self.before: dict[int, float] = {}

    def start(self) -> None:
        self.before = {pid: procinfo.cpu_seconds(pid) for pid in gateway_pids(self.roots)}

    def stop(self) -> float:
        total = 0.0
        for pid in set(gateway_pids(self.roots)) | set(self.before):
            now = procinfo.cpu_seconds(pid)
            # A process gone by now reads 0: its time since `start` is lost, so it counts nothing.
            total += max(0.0, now - self.before.get(pid, 0.0)) if now else 0.0
        return total
