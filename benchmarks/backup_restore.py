"""Backup and restore at volume: N mails of ~85 KB on SQLite, backed up, restored into SQLite and PostgreSQL.

Prints the time, the rate, the backup's size and each process's peak memory (the rows are
streamed, so memory must not grow with the mail count). Makes its own SQLite files in a
temporary folder and its own PostgreSQL database beside the URL given, and drops it afterwards.

    .venv/bin/python benchmarks/backup_restore.py [--mails 2000] [--url postgresql+psycopg://…/test]
"""

import argparse
import base64
import json
import subprocess
import os
import resource
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

DEFAULT_URL = os.environ.get("GATEWAY_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def fill(config, count: int) -> None:
    from gateway.app import open_gateway
    from gateway.ingress import Incoming, receive_many
    from gateway.trust import TrustVerdict

    gateway = open_gateway(config)
    text_part = ("Bonjour, voici la facture du mois. " * 2 + "\r\n") * 100
    trust = TrustVerdict("pass", "benchmark")
    for start in range(0, count, 200):
        # A text part and a 60 KB attachment, base64 of incompressible bytes as a PDF would be.
        batch = [Incoming(f"Message-ID: <{uuid.uuid4().hex}@bench>\r\nSubject: {start + i}\r\n\r\n{text_part}".encode()
                          + base64.encodebytes(os.urandom(45_000)),
                          ["factures@exemple.test"], "smtp", "a@exemple.test", "127.0.0.1:1", trust)
                 for i in range(min(200, count - start))]
        receive_many(gateway.database, batch)
    gateway.close()


def timed(label: str, config, *command: str) -> None:
    """Run one CLI command in its own process, as an operator would; print its time and peak memory."""
    environ = {**os.environ, "GATEWAY_STORAGE__VAR_DIR": str(config.var_dir),
               "GATEWAY_STORAGE__DATABASE_URL": config.database_url, "GATEWAY_MAIL__DOMAINS": json.dumps(["exemple.test"])}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "gateway", *command], cwd=ROOT, env=environ, capture_output=True, text=True)
    seconds = time.monotonic() - started
    # The children's peak is the largest of any child so far; each stage needs no more than its own.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{label}: exit {result.returncode}, {seconds:.1f} s, peak memory of the commands so far {peak:.0f} MB", flush=True)
    if result.returncode:
        print(result.stdout, result.stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--url", default=DEFAULT_URL)
    arguments = parser.parse_args()
    from tests.helpers import make_config

    folder = Path(tempfile.mkdtemp(prefix="backup-bench-"))
    source = make_config(folder / "source")
    fill(source, arguments.mails)
    print(f"filled {arguments.mails} mails", flush=True)
    output = folder / "backup.tar"
    timed("backup from SQLite", source, "backup", "--output", str(output))
    print(f"backup size {output.stat().st_size / 1e6:.1f} MB, database {Path(source.database_url[10:]).stat().st_size / 1e6:.1f} MB")
    timed("restore into SQLite", make_config(folder / "target", f"sqlite:///{folder / 'target.db'}"), "restore", str(output))
    admin = create_engine(arguments.url, isolation_level="AUTOCOMMIT")
    name = f"gateway_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        url = arguments.url.rsplit("/", 1)[0] + "/" + name
        postgres = make_config(folder / "pg", url)
        timed("restore into PostgreSQL", postgres, "restore", str(output))
        timed("backup from PostgreSQL", postgres, "backup", "--output", str(folder / "from-postgres.tar"))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
