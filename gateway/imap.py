"""IMAP intake: takes each new message of one folder in through `receive`, then flags or moves it."""

import contextlib
import logging
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from gateway.config import Config, Imap
from gateway.db import Database
from gateway.ingress import Received, receive
from gateway.models import ImapLedger
from gateway.trust import TrustVerdict

log = logging.getLogger(__name__)

# A server that does not answer a command within this time is treated as gone.
COMMAND_TIMEOUT_SECONDS = 60
# How often a wait in IDLE looks at the stop event, so that `serve` stops promptly.
STOP_CHECK_SECONDS = 1.0
FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 300.0


@dataclass(frozen=True)
class FolderKey:
    """Where a UID means something: a UID is only stable within one UIDVALIDITY of one folder."""

    account: str
    folder: str
    uidvalidity: int


def account_of(settings: Imap) -> str:
    return f"{settings.username}@{settings.host}"


def open_mailbox(settings: Imap) -> IMAPClient:
    """Connect, secure and log in; create the folder that stored mail is moved to if it is missing."""
    context = ssl.create_default_context()
    implicit_tls = settings.security == "ssl"
    client = IMAPClient(settings.host, settings.port, ssl=implicit_tls, ssl_context=context, timeout=COMMAND_TIMEOUT_SECONDS)
    try:
        if settings.security == "starttls":
            client.starttls(context)
        client.login(settings.username, settings.password)
        if settings.move_to and not client.folder_exists(settings.move_to):
            client.create_folder(settings.move_to)
    except BaseException:
        with contextlib.suppress(Exception):
            client.shutdown()
        raise
    return client


def poll_once(config: Config, database: Database, on_stored: Callable[[int], None] | None = None) -> list[int]:
    """One pass on a connection of its own; returns the ids of the mails stored for the first time."""
    with open_mailbox(config.imap) as client:
        return store_new_messages(client, config, database, on_stored)


def store_new_messages(
    client: IMAPClient, config: Config, database: Database, on_stored: Callable[[int], None] | None = None
) -> list[int]:
    """Store every message of the folder not yet in the ledger, then file it away; commit before filing."""
    settings = config.imap
    uidvalidity = client.select_folder(settings.folder)[b"UIDVALIDITY"]
    key = FolderKey(account_of(settings), settings.folder, uidvalidity)
    present = set(client.search(["NOT", "DELETED"]))
    done = ledger_uids(database, key)
    stored = []
    for uid in sorted(present - done):
        received = store_message(client, config, database, key, uid)
        if received is None:
            continue
        if received.created:
            stored.append(received.mail_id)
            hand_over(on_stored, received.mail_id)
        file_away(client, [uid], settings)
    # A message stored by a pass that died before filing it away is filed away now.
    left_behind = present if settings.move_to else set(client.search(["UNSEEN", "NOT", "DELETED"]))
    if left_behind & done:
        file_away(client, sorted(left_behind & done), settings)
    return stored


def store_message(client: IMAPClient, config: Config, database: Database, key: FolderKey, uid: int) -> Received | None:
    """Fetch one message, store it through `receive` and record it in the ledger; None if it vanished."""
    # BODY.PEEK leaves \Seen alone: nothing marks the message before it is committed.
    fetched = client.fetch([uid], ["BODY.PEEK[]"]).get(uid)
    if not fetched or b"BODY[]" not in fetched:
        log.info("IMAP %s/%s: UID %s vanished before it was fetched", key.account, key.folder, uid)
        return None
    settings = config.imap
    # IMAP gives neither the envelope nor the client that sent the mail: the sender is checked
    # later, from the DKIM signatures and Authentication-Results in its headers.
    trust = TrustVerdict("none", f"fetched over IMAP from {settings.host}; the sender is authenticated from its headers")
    recipients = settings.recipients or config.gateway_addresses
    received = receive(database, fetched[b"BODY[]"], recipients, "imap", None, settings.host, trust)
    # If we die before this row is written, the next pass fetches the message again and
    # `receive` recognises it (same Message-ID and bytes), so it is never stored twice.
    record_in_ledger(database, key, uid, received.mail_id)
    return received


def ledger_uids(database: Database, key: FolderKey) -> set[int]:
    query = select(ImapLedger.uid).where(
        ImapLedger.account == key.account, ImapLedger.folder == key.folder, ImapLedger.uidvalidity == key.uidvalidity
    )
    with database.engine.connect() as connection:
        return set(connection.execute(query).scalars())


def record_in_ledger(database: Database, key: FolderKey, uid: int, mail_id: int) -> None:
    row = {"account": key.account, "folder": key.folder, "uidvalidity": key.uidvalidity, "uid": uid, "mail_id": mail_id}
    try:
        with database.engine.begin() as connection:
            connection.execute(insert(ImapLedger).values(**row))
    except IntegrityError:
        pass  # Another poller on the same account recorded it first; the mail is stored once.


def file_away(client: IMAPClient, uids: list[int], settings: Imap) -> None:
    """Flag the messages \\Seen, or move them to `move_to` (MOVE, or COPY + \\Deleted + EXPUNGE)."""
    if not settings.move_to:
        client.add_flags(uids, [b"\\Seen"], silent=True)
    elif client.has_capability("MOVE"):
        client.move(uids, settings.move_to)
    else:
        client.copy(uids, settings.move_to)
        client.add_flags(uids, [b"\\Deleted"], silent=True)
        # Without UIDPLUS, EXPUNGE also removes what a mail client had marked \Deleted in this folder.
        client.expunge(uids if client.has_capability("UIDPLUS") else None)


def hand_over(on_stored: Callable[[int], None] | None, mail_id: int) -> None:
    if on_stored is None:
        return
    try:
        on_stored(mail_id)
    except Exception:
        # The mail is committed: a worker's rescan finds it even if this hand-over failed.
        log.exception("queueing mail %s failed; it waits for the next rescan", mail_id)


def wait_for_news(client: IMAPClient, settings: Imap, stop: threading.Event) -> None:
    """Return when the folder may hold new mail, when IDLE is due for renewal, or on stop."""
    if not client.has_capability("IDLE"):
        stop.wait(settings.poll_seconds)
        return
    deadline = time.monotonic() + settings.idle_seconds
    client.idle()
    while not stop.is_set() and (remaining := deadline - time.monotonic()) > 0:
        timeout = min(STOP_CHECK_SECONDS, remaining)
        started = time.monotonic()
        responses = client.idle_check(timeout=timeout)
        # "* OK Still here" only keeps the connection open; anything else may be new mail.
        if any(response[:1] != (b"OK",) for response in responses):
            break
        # Woken early with nothing parsed: the connection closed or a line is incomplete.
        if not responses and time.monotonic() - started < timeout / 2:
            break
    client.idle_done()


def run_poller(config: Config, database: Database, on_stored: Callable[[int], None], stop: threading.Event) -> None:
    """`serve`'s IMAP thread: store, wait with IDLE, and reconnect with backoff after any error; never raises."""
    account = account_of(config.imap)
    backoff = FIRST_BACKOFF_SECONDS
    while not stop.is_set():
        try:
            with open_mailbox(config.imap) as client:
                while not stop.is_set():
                    store_new_messages(client, config, database, on_stored)
                    backoff = FIRST_BACKOFF_SECONDS
                    wait_for_news(client, config.imap, stop)
        except (IMAPClientError, OSError) as error:
            log.warning("IMAP %s: %s; connecting again in %.0f s", account, error or type(error).__name__, backoff)
        except Exception:
            log.exception("IMAP %s: intake failed; connecting again in %.0f s", account, backoff)
        if stop.wait(backoff):
            break
        backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
