"""A cheap SMTP load generator: sessions that send pre-encoded DATA, over asyncio or threads."""

import asyncio
import collections
import resource
import smtplib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# The DATA bytes of mail number n: the header block, then the dot-stuffed body and its lone dot.
MailSource = Callable[[int], tuple[bytes, bytes]]


class SmtpError(Exception):
    """The server answered a command with something other than what the step needs."""

    def __init__(self, code: int, text: str):
        super().__init__(f"{code} {text}")
        self.code, self.text = code, text


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # Seconds from the end of DATA to the reply.
    refused: dict[int, int] = field(default_factory=dict)  # Reply code → count, for non-250 answers.
    errors: list[str] = field(default_factory=list)  # Sessions that broke, with the reason.
    wall: float = 0.0
    client_cpu: float = 0.0  # CPU seconds the load generator itself used.

    @property
    def sent(self) -> int:
        return len(self.latencies)


class AsyncSession(asyncio.Protocol):
    """One SMTP connection spoken by hand as an asyncio protocol: no stream layer, little CPU."""

    def __init__(self, host: str, port: int, timeout: float = 60.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.transport: asyncio.Transport | None = None
        self.buffer, self.replies = b"", collections.deque()
        self.waiter: asyncio.Future | None = None
        self.flushed: asyncio.Future | None = None
        self.lost: Exception | None = None

    async def open(self) -> None:
        loop = asyncio.get_running_loop()
        await asyncio.wait_for(loop.create_connection(lambda: self, self.host, self.port), self.timeout)
        await self.expect(220)
        self.transport.write(b"EHLO bench.client\r\n")
        await self.expect(250)

    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        # With no high-water mark, pause_writing/resume_writing tell when the last byte left.
        transport.set_write_buffer_limits(high=0)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\r\n")
        for line in lines:
            if line[3:4] != b"-":
                self.replies.append((int(line[:3]) if line[:3].isdigit() else 0, line[4:].decode(errors="replace")))
        if self.replies and self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def connection_lost(self, error: Exception | None) -> None:
        self.lost = ConnectionError(f"connection lost: {error or 'closed by the server'}")
        for future in (self.waiter, self.flushed):
            if future is not None and not future.done():
                future.set_exception(self.lost)

    def pause_writing(self) -> None:
        self.flushed = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self.flushed is not None and not self.flushed.done():
            self.flushed.set_result(None)

    async def reply(self) -> tuple[int, str]:
        if not self.replies:
            if self.lost:
                raise self.lost
            self.waiter = asyncio.get_running_loop().create_future()
            timer = asyncio.get_running_loop().call_later(self.timeout, self._time_out, self.waiter)
            try:
                await self.waiter
            finally:
                timer.cancel()
        return self.replies.popleft()

    def _time_out(self, waiter: asyncio.Future) -> None:
        if not waiter.done():
            waiter.set_exception(TimeoutError(f"no reply within {self.timeout:.0f} s"))

    async def expect(self, code: int) -> str:
        got, text = await self.reply()
        if got != code:
            raise SmtpError(got, text)
        return text

    async def send(self, sender: str, recipient: str, head: bytes, body: bytes) -> tuple[int, str, float]:
        """One transaction; returns the final reply and the seconds from end of DATA to it."""
        if self.lost:
            raise self.lost
        self.transport.write(f"MAIL FROM:<{sender}>\r\n".encode())
        await self.expect(250)
        self.transport.write(f"RCPT TO:<{recipient}>\r\n".encode())
        await self.expect(250)
        self.transport.write(b"DATA\r\n")
        await self.expect(354)
        self.transport.writelines((head, body))
        if self.flushed is not None and not self.flushed.done():
            await self.flushed
        started = time.perf_counter()
        code, text = await self.reply()
        return code, text, time.perf_counter() - started

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class ThreadSession:
    """The same transaction with smtplib's low-level calls, DATA sent as pre-encoded bytes."""

    def __init__(self, host: str, port: int, timeout: float = 60.0):
        self.client = smtplib.SMTP(host, port, timeout=timeout)
        self.client.ehlo("bench.client")

    def send(self, sender: str, recipient: str, head: bytes, body: bytes) -> tuple[int, str, float]:
        for code, (got, text) in ((250, self.client.mail(sender)), (250, self.client.rcpt(recipient))):
            if got != code:
                raise SmtpError(got, text.decode(errors="replace"))
        self.client.putcmd("data")
        got, text = self.client.getreply()
        if got != 354:
            raise SmtpError(got, text.decode(errors="replace"))
        self.client.sock.sendall(head + body)
        started = time.perf_counter()
        got, text = self.client.getreply()
        return got, text.decode(errors="replace"), time.perf_counter() - started

    def close(self) -> None:
        self.client.close()


def record(result: LoadResult, code: int, latency: float) -> None:
    if code == 250:
        result.latencies.append(latency)
    else:
        result.refused[code] = result.refused.get(code, 0) + 1


async def open_sessions(host: str, port: int, connections: int) -> list[AsyncSession]:
    sessions = [AsyncSession(host, port) for _ in range(connections)]
    await asyncio.gather(*(session.open() for session in sessions))
    return sessions


async def send_async(
    sessions: list[AsyncSession], mails: MailSource, numbers: range, envelope: tuple[str, str]
) -> LoadResult:
    """Send mails `numbers` over open sessions, each taking the next number when it is free."""
    result, queue = LoadResult(), iter(numbers)

    async def drive(session: AsyncSession) -> None:
        try:
            for number in queue:
                code, _, latency = await session.send(*envelope, *mails(number))
                record(result, code, latency)
        except (OSError, SmtpError, TimeoutError) as error:
            result.errors.append(f"{type(error).__name__}: {error}")

    cpu, started = _cpu(), time.perf_counter()
    await asyncio.gather(*(drive(session) for session in sessions))
    result.wall, result.client_cpu = time.perf_counter() - started, _cpu() - cpu
    return result


def send_threads(
    sessions: list[ThreadSession], mails: MailSource, numbers: range, envelope: tuple[str, str]
) -> LoadResult:
    """The same as `send_async`, one thread per session."""
    result, queue, lock = LoadResult(), iter(numbers), threading.Lock()

    def drive(session: ThreadSession) -> None:
        while True:
            with lock:
                number = next(queue, None)
            if number is None:
                return
            try:
                code, _, latency = session.send(*envelope, *mails(number))
            except Exception as error:  # noqa: BLE001 - smtplib raises anything once its socket is closed under it
                result.errors.append(f"{type(error).__name__}: {error}")
                return
            with lock:
                record(result, code, latency)

    threads = [threading.Thread(target=drive, args=(session,), daemon=True) for session in sessions]
    cpu, started = _cpu(), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall, result.client_cpu = time.perf_counter() - started, _cpu() - cpu
    return result


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
