"""Samples `serve` and its worker with py-spy during the measured mails, and sums where time goes."""

import re
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import harness

FRAME = re.compile(r"^(?P<function>.*) \((?P<file>.*?)(?::\d+)?\)$")


def py_spy() -> str | None:
    beside_python = Path(harness.PYTHON).with_name("py-spy")
    return str(beside_python) if beside_python.exists() else shutil.which("py-spy")


class Profiler:
    """One py-spy recorder per process, started and stopped around each measured round."""

    def __init__(self, folder: Path, rate: int = 100, idle: bool = False):
        self.folder, self.rate, self.idle = folder, rate, idle
        self.folder.mkdir(parents=True, exist_ok=True)
        self.recorders: list[subprocess.Popen] = []
        self.outputs: dict[str, list[Path]] = {"serve": [], "worker": []}
        self.started, self.seconds = 0.0, 0.0
        self.executable = py_spy()
        if self.executable is None:
            raise SystemExit("py-spy not found: .venv/bin/pip install py-spy")

    def start(self, serve_pid: int, worker_pid: int | None) -> None:
        for name, pid in (("serve", serve_pid), ("worker", worker_pid)):
            if pid is None:
                continue
            output = self.folder / f"{name}-{pid}.txt"
            # Non-blocking sampling does not pause the process, so it disturbs it the least.
            argv = [
                self.executable,
                "record",
                "--pid",
                str(pid),
                "--rate",
                str(self.rate),
                "--nonblocking",
                "--format",
                "raw",
                "--output",
                str(output),
            ] + (["--idle"] if self.idle else [])
            self.recorders.append(subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            self.outputs[name].append(output)
        self.started = time.monotonic()

    def stop(self) -> None:
        # py-spy writes its file when interrupted.
        if self.recorders:
            self.seconds += time.monotonic() - self.started
        for recorder in self.recorders:
            recorder.send_signal(signal.SIGINT)
        for recorder in self.recorders:
            try:
                recorder.wait(30)
            except subprocess.TimeoutExpired:
                recorder.kill()
                recorder.wait()
        self.recorders.clear()

    def report(self, top: int = 15) -> None:
        """Where each process spent the measured rounds, in threads kept busy on average."""
        for name, outputs in self.outputs.items():
            own, inclusive, total = summarise(outputs)
            if not total or not self.seconds:
                continue
            per_second = self.rate * self.seconds
            kind = "all threads, waiting ones too" if self.idle else "busy threads only"
            print(
                f"\npy-spy, {name} process, {self.seconds:.0f} s sampled at {self.rate} Hz, {kind}"
                f" (1.00 = one thread the whole time; files in {self.folder}):"
            )
            print("  own time (the frame on top of the stack):")
            for frame, count in own.most_common(top):
                print(f"    {count / per_second:5.2f}  {frame}")
            print("  inclusive time of the project's own functions (the frame anywhere in the stack):")
            ours = [(frame, count) for frame, count in inclusive.most_common() if is_ours(frame)]
            for frame, count in ours[:top]:
                print(f"    {count / per_second:5.2f}  {frame}")


def summarise(outputs: list[Path]) -> tuple[Counter, Counter, int]:
    """Samples per function on top of the stack, per function anywhere in it, and in all."""
    own, inclusive, total = Counter(), Counter(), 0
    for output in outputs:
        if not output.exists():
            continue
        for line in output.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            frames = [short(frame) for frame in stack.split(";") if frame]
            if not frames or not count.isdigit():
                continue
            total += int(count)
            own[frames[-1]] += int(count)
            for frame in set(frames):
                inclusive[frame] += int(count)
    return own, inclusive, total


def is_ours(frame: str) -> bool:
    return frame.rpartition("(")[2].startswith(("gateway/", "handlers/")) and "cli.py" not in frame


def short(frame: str) -> str:
    match = FRAME.match(frame)
    if not match:
        return frame
    file = match["file"]
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in file:
            file = file.split(marker, 1)[1]
    return f"{match['function']} ({file})"
