"""Recording the clients of an imported list in the directory, as orders record theirs."""

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from clients.directory import Change, find_client, record_client
from orders.model import ClientDetails


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # What each row changed in a client already known, by line of the file.
    changes: list[tuple[int, Change]] = field(default_factory=list)


def import_clients(session: Session, clients: list[tuple[int, ClientDetails]]) -> ImportSummary:
    """Create each client, or update the one already known (by SIREN, else e-mail, else name)."""
    summary = ImportSummary()
    for line, details in clients:
        known = find_client(session, details) is not None
        _, changes = record_client(session, details)
        if not known:
            summary.created += 1
        elif changes:
            summary.updated += 1
        else:
            summary.unchanged += 1
        summary.changes.extend((line, change) for change in changes)
    return summary
