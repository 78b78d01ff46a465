"""One child process of the extraction pool: its main loop, and the parent's handle on it."""

import logging
import os
import resource
import signal

from extraction import pool_jobs
from extraction.model import ExtractionError

# The exit code of a child that ran out of memory: its heap is not worth keeping.
OUT_OF_MEMORY_EXIT = 70
# Modules a child imports before its first job (the forkserver imports them once for all).
WARM_MODULES = ["extraction.pool_jobs", "extraction.ocr", "pypdfium2", "PIL.Image", "facturx", "pypdf", "lxml.etree"]


class ReaderTimeout(ExtractionError):
    """The job ran past its time limit; its child was killed."""


class ReaderOutOfMemory(ExtractionError):
    """The job needed more memory than the child may have."""


class ReaderDied(ExtractionError):
    """The child died during the job (a crash in a C library, or killed from outside)."""


def child_main(connection, memory_mib: int) -> None:
    """Runs jobs one at a time until told to stop (None) or until the parent goes away."""
    # Its own process group, so that the parent can kill it together with a running tesseract.
    os.setpgrp()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    # Readers log every oddity of a broken file; the job's reason is what the caller reports.
    for name in ("pypdf", "facturx"):
        logging.getLogger(name).setLevel(logging.ERROR)
    pool_jobs.warm_up()
    limit = memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        name, args = message
        if not _answer(connection, name, args):
            os._exit(OUT_OF_MEMORY_EXIT)


def _answer(connection, name: str, args: tuple) -> bool:
    """Runs one job and sends ("ok", result) or (status, reason); False after running out of memory."""
    try:
        reply = ("ok", pool_jobs.JOBS[name](*args))
    except MemoryError:
        reply = ("memory", "")
    except ExtractionError as error:
        reply = ("error", str(error))
    except Exception as error:  # noqa: BLE001 - any failure of a reader is the file's reason
        reply = ("error", f"reader failed ({type(error).__name__}: {str(error)[:300]})")
    try:
        connection.send(reply)
    except MemoryError:
        connection.send(("memory", ""))
        return False
    except Exception as error:  # noqa: BLE001 - a result that cannot be pickled
        connection.send(("error", f"reader result not transferable ({type(error).__name__})"))
    return reply[0] != "memory"


class Child:
    """The parent's handle on one child: send a job, wait for its answer within the time limit."""

    def __init__(self, context, memory_mib: int):
        self.memory_mib = memory_mib
        self.jobs = 0
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=child_main, args=(child_end, memory_mib),
                                       name="extraction-reader", daemon=True)
        self.process.start()
        child_end.close()

    @property
    def pid(self) -> int:
        return self.process.pid

    def is_alive(self) -> bool:
        return self.process.is_alive()

    def call(self, name: str, args: tuple, timeout: float):
        """The job's result; raises ExtractionError with the reason (the child is then dead or fine)."""
        self.jobs += 1
        try:
            self.connection.send((name, args))
        except (BrokenPipeError, ConnectionResetError, EOFError):
            raise ReaderDied(self._death_reason()) from None
        if not self.connection.poll(timeout):
            self.kill()
            raise ReaderTimeout(f"timed out after {timeout:g} s")
        try:
            status, value = self.connection.recv()
        except (EOFError, OSError):
            raise ReaderDied(self._death_reason()) from None
        if status == "ok":
            return value
        if status == "memory":
            self.kill()
            raise ReaderOutOfMemory(f"ran out of memory (limit {self.memory_mib} MiB)")
        raise ExtractionError(value)

    def stop(self) -> None:
        """Asks the child to finish (it is idle), and kills it if it does not."""
        try:
            self.connection.send(None)
        except (OSError, EOFError):
            pass
        self.process.join(2)
        self.kill()

    def kill(self) -> None:
        if self.process.exitcode is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        self.process.join(5)
        self.connection.close()

    def _death_reason(self) -> str:
        self.process.join(5)
        code = self.process.exitcode
        self.kill()
        if code == OUT_OF_MEMORY_EXIT:
            return f"ran out of memory (limit {self.memory_mib} MiB)"
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else "?"
            hint = ", possibly out of memory" if -code in (signal.SIGKILL, signal.SIGABRT) else ""
            return f"reader process died (signal {-code} {name}{hint})"
        return f"reader process died (exit code {code})"
