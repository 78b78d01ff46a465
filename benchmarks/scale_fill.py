"""Fills the benchmark database with past mail (terminal mails and their sent replies) in bulk SQL."""

import base64
import os
import time

import psycopg

# The share of each terminal state among past mail, out of 100, with a reason and a route like the worker's.
HISTORY = """CASE WHEN mod(g, 100) < 85 THEN 'processed' WHEN mod(g, 100) < 97 THEN 'ignored'
                  WHEN mod(g, 100) < 99 THEN 'quarantined' ELSE 'failed' END"""
POOL_SIZE = 256
CHUNK = 100_000

MAILS_SQL = f"""
INSERT INTO mails (message_id, sha256, raw, size, source, envelope_from, envelope_to, peer, received_at,
                   auth_verdict, auth_detail, auth_domain, helo, status, reason, route, sender, subject,
                   attempts, finished_at)
SELECT '<history.' || g || '@bench.exemple.test>', md5(g::text) || md5((-g)::text), pool.raw, length(pool.raw),
       'smtp', 'marie@exemple.test', '["factures@exemple.test"]', '127.0.0.1:40000', moment.received,
       'pass', 'trusted network 127.0.0.0/8', '', 'bench.client', {HISTORY},
       CASE WHEN mod(g, 100) < 85 THEN 'help reply sent' ELSE 'not answered: see the route' END,
       CASE WHEN mod(g, 100) < 85 THEN 'help' ELSE 'untrusted' END,
       'marie@exemple.test', 'TR: Facture fournisseur ' || g, 1, moment.received + interval '80 milliseconds'
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
JOIN scale_pool AS pool ON pool.n = mod(g, {POOL_SIZE})
CROSS JOIN LATERAL (SELECT now() - interval '2 years' * (mod(g * 7919, 100003) / 100003.0) AS received) AS moment
"""

# One sent reply per processed mail, as the help route writes; the mails just inserted are those above `after`.
OUTBOX_SQL = """
INSERT INTO outbox (mail_id, kind, template, message_id, sender, recipients, cc, subject, in_reply_to,
                    "references", body_text, body_html, created_at, status, attempts, last_error, delivered_as,
                    sent_at, next_attempt_at)
SELECT id, 'reply', 'help', '<reply.' || id || '@exemple.test>', 'factures@exemple.test', '["marie@exemple.test"]',
       '[]', 'Re: ' || subject, message_id, message_id, %(body)s, '', finished_at, 'sent', 1, '',
       'maildir ' || id, finished_at + interval '20 milliseconds', NULL
FROM mails WHERE id > %(after)s AND status = 'processed'
"""

REPLY_BODY = (
    "Bonjour,\n\nNous avons bien reçu votre message. Voici ce que la passerelle sait faire pour vous :\n"
    + "- transmettre une facture fournisseur (PDF ou Factur-X) en pièce jointe ;\n" * 6
    + "\nBien cordialement,\nPasserelle factures\n"
)


def make_pool(connection: psycopg.Connection, raw_size: int) -> None:
    """Raw mails of `raw_size` bytes: a header and a base64 body of random bytes, which PostgreSQL cannot compress."""
    connection.execute("CREATE UNLOGGED TABLE IF NOT EXISTS scale_pool (n int PRIMARY KEY, raw bytea NOT NULL)")
    connection.execute("TRUNCATE scale_pool")
    head = b"From: Marie Dupont <marie@exemple.test>\r\nTo: factures@exemple.test\r\nSubject: TR: Facture\r\n\r\n"
    body_bytes = max(0, (raw_size - len(head)) * 3 // 4)
    rows = [(n, head + base64.encodebytes(os.urandom(body_bytes))) for n in range(POOL_SIZE)]
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO scale_pool (n, raw) VALUES (%s, %s)", rows)


def mail_count(connection: psycopg.Connection) -> int:
    return connection.execute("SELECT count(*) FROM mails").fetchone()[0]


def fill_to(connection: psycopg.Connection, target: int, raw_size: int) -> tuple[int, float]:
    """Add past mails until the table holds `target` rows, in chunks; returns the rows added and seconds taken."""
    started = time.monotonic()
    make_pool(connection, raw_size)
    have = before = mail_count(connection)
    # History Message-IDs are numbered past every id so far, so that they never meet earlier ones.
    serial = connection.execute("SELECT coalesce(max(id), 0) FROM mails").fetchone()[0] + 1
    while have < target:
        step = min(CHUNK, target - have)
        after = connection.execute("SELECT coalesce(max(id), 0) FROM mails").fetchone()[0]
        with connection.transaction():
            connection.execute(MAILS_SQL, {"first": serial, "last": serial + step - 1})
            connection.execute(OUTBOX_SQL, {"after": after, "body": REPLY_BODY})
        serial += step
        have += step
    # As autovacuum would in production, and so that the planner knows the new sizes.
    connection.execute("VACUUM ANALYZE mails")
    connection.execute("VACUUM ANALYZE outbox")
    # Write the fill's dirty pages now: a checkpoint during the measured batch would slow its commits.
    connection.execute("CHECKPOINT")
    return have - before, time.monotonic() - started


def table_sizes(connection: psycopg.Connection) -> dict[str, str]:
    """Total on-disk size (heap, TOAST, indexes) of the two tables that grow with mail."""
    sizes = {}
    for table in ("mails", "outbox"):
        sizes[table] = connection.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", (table,)).fetchone()[0]
    return sizes
