"""Issuing one invoice, warm, against a raw WeasyPrint render of the same HTML; prints the ratio.

(a) raw: HTML(string).write_pdf with the invoice CSS and fonts, nothing else;
(b) issue: invoicing.issue.issue_invoice on a temporary SQLite database — numbering, the row and
    its archive link, render (PDF/A-3), Factur-X XML + XSD check + embedding, PDF file + archive.
Both run alternately in one process (the CPU speed swings from moment to moment), after a warm-up;
the renderer is built once, as the gateway does. Target: median(issue) / median(raw) <= 1.2.

    .venv/bin/python benchmarks/invoice_render.py [--rounds 15]
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import facturx  # noqa: E402
from weasyprint import HTML  # noqa: E402

from gateway.config import load_config  # noqa: E402
from gateway.db import Database  # noqa: E402
from invoicing.compute import build_document  # noqa: E402
from invoicing.facturx_xml import facturx_xml  # noqa: E402
from invoicing.issue import issue_document, issue_invoice  # noqa: E402
from invoicing.render import InvoiceRenderer  # noqa: E402
from invoicing.request import parse_request  # noqa: E402

EXAMPLE = ROOT / "config" / "examples" / "invoice.json"
DAY = date(2026, 11, 26)


def timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="invoice-bench-") as var_dir:
        config = load_config(None, environ={"GATEWAY_STORAGE__VAR_DIR": var_dir})
        database = Database(config.database_url)
        database.migrate()
        stages = stages_of(database, config, InvoiceRenderer(config))
        for _ in range(arguments.warmup):
            for action in stages.values():
                action()
        times = {name: [] for name in stages}
        for _ in range(arguments.rounds):
            for name, action in stages.items():
                times[name].append(timed(action))
        database.dispose()
    report(times, arguments.rounds)


def stages_of(database: Database, config, renderer: InvoiceRenderer) -> dict:
    """What is timed: the raw render first, the whole issue second, then the issue's parts."""
    request = parse_request(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    document = build_document(request, config=config, number="FA2026-0001", issue_date=DAY)
    html = renderer.render_html(document)
    pdf = renderer.html_to_pdf(html)

    def raw():
        HTML(string=html, base_url=str(renderer.folder) + "/").write_pdf(
            stylesheets=[renderer.stylesheet], font_config=renderer.font_config)

    def number_only():
        issue_document(database, config, "invoice", DAY, lambda session, number: build_document(
            request, config=config, number=number, issue_date=DAY))

    return {
        "raw WeasyPrint (same HTML, CSS, fonts)": raw,
        "issue_invoice (number+render+Factur-X+archive)": lambda: issue_invoice(
            database, config, request, today=DAY, renderer=renderer),
        "  of which: numbering + row + archive link (no PDF)": number_only,
        "  of which: template to HTML": lambda: renderer.render_html(document),
        "  of which: WeasyPrint PDF/A-3b + fetcher": lambda: renderer.html_to_pdf(html),
        "  of which: Factur-X XML": lambda: facturx_xml(document),
        "  of which: embed + XSD (factur-x)": lambda: facturx.generate_from_binary(
            pdf, facturx_xml(document), flavor="factur-x", level="en16931", check_xsd=True),
    }


def report(times: dict, rounds: int) -> None:
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"Median of {rounds} warm rounds, interleaved, one process:")
    for name, value in medians.items():
        print(f"  {name:52} {value * 1000:8.1f} ms")
    names = list(medians)
    ratio = medians[names[1]] / medians[names[0]]
    print(f"Ratio issue / raw render: {ratio:.2f} (target <= 1.2) {'OK' if ratio <= 1.2 else 'ABOVE TARGET'}")


if __name__ == "__main__":
    main()
