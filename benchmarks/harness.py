"""Processes and ports for the benchmark scripts: start, wait for the greeting, stop, crash, clean up."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from procinfo import children_of, command_line, group_members

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DOMAIN = "exemple.test"

# Every process group started here, so that a Ctrl-C or an error never leaves one behind.
STARTED: list["ManagedProcess"] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def code_version() -> str:
    """The commit of the gateway under test, and whether its work tree differs from it."""
    try:
        command = ["git", "describe", "--always", "--dirty"]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return result.stdout.strip() or "unknown"


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_port_free(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not port_is_free(port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


class ManagedProcess:
    """A child started in its own process group, which `stop` and `cleanup` always end."""

    def __init__(self, argv: list[str], env: dict[str, str], log_path: Path, port: int):
        self.argv, self.env, self.log_path, self.port = argv, env, log_path, port
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self, timeout: float = 60.0) -> "ManagedProcess":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        STARTED.append(self)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        """Wait for the SMTP greeting, so that the first measured connection is not refused."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.argv[-1]} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                    if sock.recv(512).startswith(b"220"):
                        sock.sendall(b"QUIT\r\n")
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(
            f"{self.argv[-1]} did not greet on port {self.port} within {timeout:.0f} s:\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def kill_main(self) -> None:
        """SIGKILL the main process only, as a crash would; its children are left to notice."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait()

    def wait_group_gone(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while group_members(self.pid):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM and wait; whatever of the group is still alive after `timeout` is killed."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        if not self.wait_group_gone(timeout if self.process.poll() is None else 15.0):
            self.kill_group()
        if self in STARTED:
            STARTED.remove(self)

    def crash(self, timeout: float) -> float | None:
        """SIGKILL the main process, then wait for the rest of its group (the orphaned worker).

        Returns the seconds the group took to empty, or None if it had to be killed after `timeout`.
        """
        started = time.monotonic()
        self.kill_main()
        gone = self.wait_group_gone(timeout)
        if not gone:
            self.kill_group()
        STARTED.remove(self)
        return time.monotonic() - started if gone else None

    def kill_group(self) -> None:
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self.wait_group_gone(10.0)


class ManagedWorker(ManagedProcess):
    """A standalone `worker` process: ready once its log says so (it has no port)."""

    def start(self, timeout: float = 60.0) -> "ManagedWorker":
        self.log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        return super().start(timeout)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited with {self.process.returncode}:\n{self.log_tail()}")
            with open(self.log_path, "rb") as log:
                log.seek(self.log_offset)
                if b"worker started" in log.read():
                    return
            time.sleep(0.1)
        raise RuntimeError(f"worker not started within {timeout:.0f} s:\n{self.log_tail()}")

    def crash(self, timeout: float = 10.0) -> None:
        """SIGKILL the worker (and anything it started), as a crash of its machine would."""
        self.kill_group()
        if self in STARTED:
            STARTED.remove(self)


def start_worker(var_dir: Path, index: int, rescan_seconds: int | None = None,
                 extra_env: dict[str, str] | None = None) -> ManagedWorker:
    """`python -m gateway worker`, logging to worker<index>.log beside the var folder."""
    env = serve_env(var_dir, 0, rescan_seconds, extra_env)
    log_path = var_dir.parent / f"worker{index}.log"
    return ManagedWorker([PYTHON, "-m", "gateway", "worker"], env, log_path, 0).start()


def cleanup() -> None:
    """Kill every process group still started; called on exit, error or Ctrl-C."""
    for managed in list(STARTED):
        managed.kill_group()
        STARTED.remove(managed)


def raise_on_sigterm() -> None:
    """Make a SIGTERM (from `timeout`, say) unwind like a Ctrl-C, through the cleanup."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def serve_env(
    var_dir: Path, port: int, rescan_seconds: int | None = None, extra: dict[str, str] | None = None
) -> dict[str, str]:
    env = {
        **os.environ,
        "GATEWAY_STORAGE__VAR_DIR": str(var_dir),
        "GATEWAY_SMTP__LISTEN": f"127.0.0.1:{port}",
        "GATEWAY_MAIL__DOMAINS": f'["{DOMAIN}"]',
        "GATEWAY_MAIL__STAFF": f'["*@{DOMAIN}"]',
        "GATEWAY_AUTH__TRUSTED_NETWORKS": '["127.0.0.0/8"]',
    }
    if rescan_seconds is not None:
        env["GATEWAY_QUEUE__RESCAN_SECONDS"] = str(rescan_seconds)
    return {**env, **(extra or {})}


def start_serve(
    var_dir: Path,
    port: int,
    rescan_seconds: int | None = None,
    with_worker: bool = True,
    extra_env: dict[str, str] | None = None,
) -> ManagedProcess:
    var_dir.mkdir(parents=True, exist_ok=True)
    argv = [PYTHON, "-m", "gateway", "serve"] + ([] if with_worker else ["--no-worker"])
    env = serve_env(var_dir, port, rescan_seconds, extra_env)
    return ManagedProcess(argv, env, var_dir.parent / "serve.log", port).start()


def parse_env(pairs: list[str]) -> dict[str, str]:
    """`--serve-env KEY=VALUE` options as a dict; KEY is a GATEWAY_* variable."""
    env = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key.startswith("GATEWAY_"):
            raise SystemExit(f"--serve-env wants GATEWAY_SECTION__KEY=VALUE, got {pair!r}")
        env[key] = value
    return env


def worker_pid(serve_pid: int) -> int | None:
    """The worker child of `serve`; its other child is multiprocessing's resource tracker."""
    for pid in children_of(serve_pid):
        line = command_line(pid)
        if "multiprocessing" in line and "resource_tracker" not in line:
            return pid
    return None
