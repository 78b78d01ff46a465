"""EXPLAIN ANALYZE of the runtime's queries on the filled database: which ones read the whole table."""

import json
from dataclasses import dataclass

import psycopg

# The SQL the runtime sends (gateway/queue.py, processing.py, status.py, status_sections.py, doctor.py),
# written out by hand with the shipped defaults (rescan after 30 s, STATUT and doctor over 30 days).
QUERIES = {
    "worker rescan, mails (queue.py)": """
        SELECT id FROM mails WHERE status IN ('pending', 'processing')
        AND received_at <= now() - interval '30 seconds' ORDER BY id""",
    "worker rescan, outbox (queue.py)": """
        SELECT id FROM outbox WHERE status = 'pending'
        AND ((next_attempt_at IS NULL AND created_at <= now() - interval '30 seconds') OR next_attempt_at <= now())
        ORDER BY id""",
    "claim a mail (processing.py)": "SELECT * FROM mails WHERE id = (SELECT max(id) FROM mails) FOR UPDATE",
    "reply to our mail? (processing.py)": """
        SELECT id FROM outbox WHERE message_id IN ('<reply.5@exemple.test>', '<nobody@x>') LIMIT 1""",
    "ingress duplicate check (ingress.py)": """
        SELECT id FROM mails WHERE message_id = '<history.5@bench.exemple.test>' AND sha256 = 'x'""",
    "STATUT, one staff member (status_sections.py)": """
        SELECT status, count(*) FROM mails WHERE received_at >= now() - interval '30 days'
        AND sender = 'marie@exemple.test' GROUP BY status""",
    "status: counts per state (status.py)": "SELECT status, count(*) FROM mails GROUP BY status",
    "status: latest problems (status.py)": """
        SELECT id, status, reason FROM mails WHERE status IN ('failed', 'quarantined') ORDER BY id DESC LIMIT 10""",
    "mail show: its replies (status.py)": "SELECT * FROM outbox WHERE mail_id = 12345 ORDER BY id",
    "doctor: untrusted staff mail (doctor.py)": """
        SELECT sender, auth_detail FROM mails WHERE route = 'untrusted' AND received_at >= now() - interval '30 days'""",
}


@dataclass
class Plan:
    name: str
    milliseconds: float
    scans: list[str]  # "Seq Scan on mails", "Index Scan using ix_mails_status on mails", ...
    rows_read: int  # Rows the scans returned or filtered out: what the query touched.

    def reads_most(self, stored: int) -> bool:
        """A sequential scan, or an index scan that still touches half the mails: cost grows with volume."""
        return any(scan.startswith("Seq Scan") for scan in self.scans) or self.rows_read >= stored // 2


def _walk(node: dict, scans: list[str]) -> int:
    rows = 0
    if "Scan" in node["Node Type"] and "Relation Name" in node:
        index = f" using {node['Index Name']}" if "Index Name" in node else ""
        scans.append(f"{node['Node Type']}{index} on {node['Relation Name']}")
        # In a parallel plan the counts are per process: times the loops gives the whole.
        loops = node.get("Actual Loops", 1)
        rows += loops * (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0))
    for child in node.get("Plans", []):
        rows += _walk(child, scans)
    return rows


def explain(connection: psycopg.Connection, name: str, sql: str) -> Plan:
    # FOR UPDATE takes a lock: run inside a transaction that is rolled back, so nothing stays held.
    with connection.transaction(force_rollback=True):
        [[document]] = connection.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}").fetchall()
    document = json.loads(document) if isinstance(document, str) else document
    scans: list[str] = []
    rows = _walk(document[0]["Plan"], scans)
    return Plan(name, document[0]["Execution Time"], scans, rows)


def explain_all(connection: psycopg.Connection) -> list[Plan]:
    return [explain(connection, name, sql) for name, sql in QUERIES.items()]


def print_plans(plans: list[Plan], mails: int) -> None:
    print(f"\nthe runtime's queries on {mails:,} stored mails (EXPLAIN ANALYZE, warm cache):")
    for plan in plans:
        flag = "GROWS" if plan.reads_most(mails) else "flat"
        print(f"  {plan.name:<46} {plan.milliseconds:9.2f} ms  {plan.rows_read:>9,} rows  {flag}: {'; '.join(plan.scans)}")
