"""Counts what `serve` made of the crash benchmark's mails: stored, terminal, lost, answered twice."""

from collections import Counter
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from pathlib import Path

import gatewaydb


@dataclass
class Outcome:
    stored: int  # Distinct Message-IDs of ours in `mails`.
    terminal: int
    states: dict[str, int]
    accepted_not_stored: int
    stored_not_terminal: int
    stored_without_250: int  # Stored, yet the client never got its 250: it would be a duplicate for the sender.
    stored_twice: int  # Message-IDs with more than one row in `mails`.
    outbox_twice: int  # Mails with more than one outbox row.
    maildir_twice: int  # Replies (by In-Reply-To) with more than one file in the Maildir.
    replies_missing: int  # Processed mails without a sent reply.
    outbox_states: dict[str, int]
    maildir_files: int
    reasons: Counter  # Why mails that were not processed ended as they did.

    @property
    def lost(self) -> int:
        return self.accepted_not_stored + self.stored_not_terminal

    @property
    def twice(self) -> int:
        return self.outbox_twice + self.maildir_twice


def maildir_replies(var_dir: Path) -> Counter:
    """Files in the outbox Maildir per In-Reply-To header: one reply per answered mail."""
    parser, replies = BytesHeaderParser(), Counter()
    for folder in ("new", "cur"):
        for path in sorted((var_dir / "outbox" / folder).glob("*")):
            with open(path, "rb") as handle:
                replies[" ".join(str(parser.parse(handle).get("In-Reply-To", "")).split())] += 1
    return replies


def count_outcome(var_dir: Path, template, ledger, database: Path | str | None = None) -> Outcome:
    """`database`: a PostgreSQL URL, or None for the SQLite database under `var_dir`."""
    where = database or var_dir
    ours = f"<{template.tag}.%"
    rows = gatewaydb.query(where, "SELECT id, message_id, status, reason FROM mails WHERE message_id LIKE ?", (ours,))
    outbox = gatewaydb.query(where, "SELECT mail_id, status FROM outbox")
    accepted = {template.message_id(n) for n, ok in enumerate(ledger.accepted) if ok}
    stored = {message_id for _, message_id, _, _ in rows}
    terminal = {message_id for _, message_id, status, _ in rows if status in gatewaydb.TERMINAL_STATES}
    rows_per_message = Counter(message_id for _, message_id, _, _ in rows)
    rows_per_mail = Counter(mail_id for mail_id, _ in outbox)
    sent = {mail_id for mail_id, status in outbox if status == "sent"}
    processed = [mail_id for mail_id, _, status, _ in rows if status == "processed"]
    replies = maildir_replies(var_dir)
    return Outcome(
        stored=len(stored),
        terminal=len(terminal),
        states=dict(Counter(status for _, _, status, _ in rows)),
        accepted_not_stored=len(accepted - stored),
        stored_not_terminal=len(stored - terminal),
        stored_without_250=len(stored - accepted),
        stored_twice=sum(1 for count in rows_per_message.values() if count > 1),
        outbox_twice=sum(1 for count in rows_per_mail.values() if count > 1),
        maildir_twice=sum(1 for count in replies.values() if count > 1),
        replies_missing=sum(1 for mail_id in processed if mail_id not in sent),
        outbox_states=dict(Counter(status for _, status in outbox)),
        maildir_files=sum(replies.values()),
        reasons=Counter(f"{status}: {reason[:100]}" for _, _, status, reason in rows if status != "processed"),
    )


def target(value: int) -> str:
    return "target 0, met" if value == 0 else "target 0, MISSED"


def print_outcome(outcome: Outcome, ledger, kills: list, drained: float | None, elapsed: float, mode: str = "embedded") -> None:
    waited = f"{drained:.1f} s after the last mail" if drained is not None else "NOT reached before the timeout"
    print()
    print(f"mode               {mode}")
    print(f"mails sent         {ledger.total:6}")
    print(
        f"accepted with 250  {ledger.accepted_count:6}   ({ledger.already_stored} acknowledged as already stored,"
        f" {ledger.retries} retries, refused {ledger.refused or 'none'})"
    )
    print(
        f"stored             {outcome.stored:6}   (distinct Message-IDs in mails; {outcome.stored_twice} stored twice,"
        f" {outcome.stored_without_250} stored without a 250)"
    )
    print(f"terminal           {outcome.terminal:6}   {outcome.states}; everything terminal {waited}")
    print(
        f"lost               {outcome.lost:6}   {target(outcome.lost)}"
        f" (accepted not stored {outcome.accepted_not_stored}, stored never terminal {outcome.stored_not_terminal})"
    )
    print(
        f"processed twice    {outcome.twice:6}   {target(outcome.twice)}"
        f" (mails with >1 outbox row {outcome.outbox_twice}, replies with >1 Maildir file {outcome.maildir_twice})"
    )
    worker_kills = sum(getattr(kill, "workers_killed", 0) for kill in kills)
    print(f"kills done         {len(kills):6}   (SIGKILL of serve; {worker_kills} SIGKILLs of worker processes)")
    print(
        f"replies: outbox {outcome.outbox_states}, {outcome.maildir_files} Maildir files,"
        f" {outcome.replies_missing} processed mails without a sent reply; run took {elapsed:.0f} s"
    )
    for reason, count in outcome.reasons.most_common(5):
        print(f"  {count} × {reason}")
    print(f"SUMMARY mode={mode} lost={outcome.lost} twice={outcome.twice} serve_kills={len(kills)} worker_kills={worker_kills}")
