"""Where the CPU of a measured window went: each process of `serve`'s group, named by its role."""

from collections import Counter

import procinfo


def role_of(pid: int, serve_pid: int) -> str:
    line = procinfo.command_line(pid)
    if pid == serve_pid:
        return "serve (SMTP)"
    if "forkserver" in line:
        # The forkserver itself is the worker's child; the readers are the forkserver's children.
        parent = int((procinfo.proc_stat(pid) or ["", "0"])[1])
        return "PDF readers (extraction pool)" if "forkserver" in procinfo.command_line(parent) else "forkserver"
    if "resource_tracker" in line:
        return "resource tracker"
    if "spawn_main" in line or "multiprocessing" in line:
        # serve's own children are the worker and the storage process; the worker's are readers.
        parent = int((procinfo.proc_stat(pid) or ["", "0"])[1])
        if parent == serve_pid:
            # The worker is the one that started the extraction pool's forkserver.
            return "worker" if procinfo.children_of(pid) else "storage"
        return "PDF readers (extraction pool)"
    return line[:40] or "?"


def worker_of(serve_pid: int) -> int | None:
    """serve's worker process: its spawned child that has children of its own (the PDF readers)."""
    for pid in procinfo.children_of(serve_pid):
        if "spawn_main" in procinfo.command_line(pid) and procinfo.children_of(pid):
            return pid
    return None


def descendants(pid: int) -> list[int]:
    """The process and everything below it; the PDF readers leave serve's process group, not its tree."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(procinfo.children_of(current))
    return found


def snapshot(serve_pid: int) -> dict[int, tuple[str, float]]:
    return {pid: (role_of(pid, serve_pid), procinfo.cpu_seconds(pid)) for pid in descendants(serve_pid)}


def cpu_by_role(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> Counter:
    """CPU seconds per role between two snapshots (processes that ended meanwhile are missed)."""
    spent = Counter()
    for pid, (role, seconds) in after.items():
        spent[role] += seconds - before.get(pid, (role, 0.0))[1]
    return spent
