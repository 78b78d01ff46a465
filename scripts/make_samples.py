"""Regenerates docs/samples: one Factur-X PDF and its PNG per VAT case, credit note and deposit.

    .venv/bin/python scripts/make_samples.py [--output docs/samples] [--hand-built]

Documents are computed from the requests of tests/invoicing/sample_requests.py by
invoicing.compute, the path a real invoice takes; --hand-built uses the Documents written by
hand in tests/invoicing/sample_documents.py instead (rendering apart from the computation).
Each PDF is checked against the EN 16931 XSD, and against the schematron when saxonche is there.
"""

import argparse
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gateway.config import load_config  # noqa: E402
from invoicing.facturx_xml import facturx_xml  # noqa: E402
from invoicing.render import InvoiceRenderer  # noqa: E402
from invoicing.validate import check_schematron, check_xsd  # noqa: E402


def computed_documents() -> dict:
    from tests.invoicing.sample_requests import computed_documents as compute_all

    return compute_all()


def hand_built_documents() -> dict:
    from tests.invoicing import sample_documents as samples

    documents = {case: make() for case, make in samples.SAMPLES.items()}
    documents["standard_en"] = replace(documents["standard"], language="en")
    return documents


def write_sample(renderer: InvoiceRenderer, case: str, document, output: Path) -> None:
    xml = facturx_xml(document)
    problems = check_xsd(xml) + _schematron(xml)
    if problems:
        raise SystemExit(f"{case}: the Factur-X XML is invalid:\n" + "\n".join(problems))
    pdf_path = output / f"{case}.pdf"
    pdf_path.write_bytes(renderer.render_pdf(document))
    # One PNG of the first page at 72 dpi: enough to see the layout, small enough to commit.
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile", "-f", "1", "-l", "1",
                    str(pdf_path), str(output / case)], check=True)
    print(f"{case:20} {document.number:12} {document.total_incl_tax:>10} € -> {pdf_path.relative_to(ROOT)}")


def _schematron(xml: bytes) -> list[str]:
    try:
        return check_schematron(xml)
    except RuntimeError as error:  # saxonche missing: the XSD check alone has run.
        print(f"(schematron not checked: {error})")
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "samples")
    parser.add_argument("--hand-built", action="store_true", help="use the hand-built Documents")
    arguments = parser.parse_args()
    arguments.output.mkdir(parents=True, exist_ok=True)
    documents = hand_built_documents() if arguments.hand_built else computed_documents()
    renderer = InvoiceRenderer(load_config(None, environ={}))
    for case, document in documents.items():
        write_sample(renderer, case, document, arguments.output)


if __name__ == "__main__":
    main()
