"""Read the e-invoice XML embedded in a Factur-X / ZUGFeRD / XRechnung PDF into a Bill.

What each outcome means to the caller:
- a Bill (source "facturx"): the embedded XML was read; problems that did not stop the reading
  (XML not valid against its schema, a damaged but recoverable PDF) are in bill.warnings;
- None: the PDF carries no usable XML, so the visual path should read the pages. When an XML
  was there but could not be used (not well-formed, refused as hostile, not an invoice), the
  reasons are appended to the `warnings` list the caller passes, so the visual path's bill can
  show them;
- ExtractionError: the PDF itself cannot be opened (truncated, corrupt structure): no engine
  will read it, and the message says why.
"""

import logging
import threading

from facturx import get_xml_from_pdf, xml_check_xsd

from extraction.model import Bill, ExtractionError
from extraction.safe_xml import parse_xml
from extraction.structured import read_structured_root

# Factur-X 1.0 and ZUGFeRD 2.x use factur-x.xml or zugferd-invoice.xml (any case);
# XRechnung hybrids use xrechnung.xml.
EMBEDDED_NAMES = ["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"]
# Loggers whose warnings say why an attachment was skipped or how the PDF is damaged.
_LIBRARY_LOGGERS = ("factur-x", "pypdf")
# Logged whenever nothing was found: the None result already says it.
_NOTHING_FOUND = "No valid factur-x"


def read_facturx_pdf(pdf_bytes: bytes, filename: str = "", warnings: list[str] | None = None) -> Bill | None:
    """The bill of the PDF's embedded XML, None when there is none (see the module docstring)."""
    if not pdf_bytes:
        raise ExtractionError("empty PDF file")
    reasons = warnings if warnings is not None else []
    xml_name, xml_bytes, library_warnings = _embedded_xml(bytes(pdf_bytes))
    if not xml_bytes:
        reasons.extend(library_warnings)
        return None
    try:
        root = parse_xml(xml_bytes)
        bill = read_structured_root(root, filename, source="facturx")
    except ExtractionError as error:
        reasons.extend(library_warnings)
        reasons.append(f"embedded {xml_name} ignored: {error}")
        return None
    bill.warnings.extend(library_warnings)
    schema_problem = _schema_problem(root)
    if schema_problem:
        bill.warnings.append(f"embedded {xml_name} does not match its schema: {schema_problem}")
    return bill


def _embedded_xml(pdf_bytes: bytes) -> tuple[str | None, bytes | None, list[str]]:
    """(attachment name, XML bytes, library warnings); ExtractionError when the PDF is unreadable."""
    with _CapturedWarnings() as captured:
        try:
            xml_name, xml_bytes = get_xml_from_pdf(pdf_bytes, check_xsd=False, filenames=list(EMBEDDED_NAMES))
        except MemoryError:
            raise
        except Exception as error:  # pypdf raises many types on hostile files; all mean "unreadable".
            reason = str(error)[:200] or "no detail"
            raise ExtractionError(f"PDF cannot be read ({type(error).__name__}: {reason})") from None
    return (xml_name or None), (xml_bytes or None), captured.messages


def _schema_problem(root) -> str | None:
    """None when the XML matches its XSD (Factur-X level, ZUGFeRD 1.0, UBL), else the first error."""
    with _CapturedWarnings():
        try:
            xml_check_xsd(root)
        except Exception as error:  # factur-x raises bare Exceptions for schema errors.
            message = str(error)
            return message.split("the problem: ", 1)[-1]
    return None


class _CapturedWarnings(logging.Handler):
    """Collects the libraries' warnings emitted by this thread while the block runs."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []
        self._thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self._thread:
            return
        message = record.getMessage()
        if message.startswith(_NOTHING_FOUND):
            return
        if record.name.startswith("pypdf"):
            message = f"damaged PDF structure, repaired while reading (pypdf: {message})"
        else:
            message = f"embedded XML skipped ({record.name}: {message})"
        if message not in self.messages:
            self.messages.append(message)

    def __enter__(self) -> "_CapturedWarnings":
        for name in _LIBRARY_LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        for name in _LIBRARY_LOGGERS:
            logging.getLogger(name).removeHandler(self)
