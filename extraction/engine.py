"""One way in for bills: the bytes of a file, or a mail's attachments, become checked bills.

The order is the issue's: structured data first (Factur-X XML embedded in a PDF, standalone CII
or UBL), read exactly; then the PDF's text layer; then OCR for scans and photos; Mindee only when
a key is set and local confidence stays low. PDF parsing and OCR run in the pool's child
processes, so a hostile file can cost one child, never the worker.
"""

import time
from dataclasses import dataclass
from datetime import date

from extraction.checks import adjust_confidence, check_bill
from extraction.classify import classify
from extraction.file_types import file_type
from extraction.model import Bill, ExtractionError, Party, TextDocument
from extraction.pairing import mark_duplicates
from extraction.structured import read_structured_xml
from extraction.text_bill import bill_from_text
from gateway import metrics
from gateway.config_sections import Company, Extraction

# OCR costs about 1.6 s a page on one core: a scan is read on its first pages only, so that
# one job stays within the pool's time limit (30 s by default) with room to spare.
OCR_MAX_PAGES = 8
# The fields whose low confidence makes Mindee worth a call.
KEY_FIELDS = ("number", "issue_date", "total_excl_tax", "total_tax", "total_incl_tax")


@dataclass(frozen=True)
class Options:
    use_embedded_xml: bool = True
    # "auto", "local" or "mindee"; see [extraction] engine in config/gateway.toml.
    engine: str = "auto"
    today: date | None = None


class Extractor:
    """Reads files through a warm pool of child processes; one per worker process, reused."""

    def __init__(self, settings: Extraction, pool, known_buyer: Party | None = None):
        self.settings = settings
        self.pool = pool
        # Our own company: bills are addressed to it, so its identifiers are never the supplier's.
        self.known_buyer = known_buyer

    def extract(self, data: bytes, filename: str = "", options: Options = Options()) -> Bill:
        """Never raises for a bad file: an unreadable one is an `other` bill with the reason."""
        started = time.perf_counter()
        try:
            bill = self._read(data, filename, options)
        except ExtractionError as error:
            metrics.extraction_finished("unreadable", time.perf_counter() - started, failed=True)
            return unreadable(filename, str(error))
        metrics.extraction_finished(bill.source, time.perf_counter() - started, failed=False)
        bill.filename = filename
        problems = check_bill(bill, today=options.today) if bill.is_bill else []
        adjust_confidence(bill, problems)
        bill.problems = problems
        bill.warnings.extend(problem.message for problem in problems)
        return bill

    def _read(self, data: bytes, filename: str, options: Options) -> Bill:
        if self._mindee_first(options):
            warnings: list[str] = []
            bill = self._mindee_or_none(data, filename, warnings)
            if bill is not None:
                return bill
            local = self._read_locally(data, filename, options)
            local.warnings.extend(warnings)
            return local
        bill = self._read_locally(data, filename, options)
        if self._mindee_allowed(options) and bill.source in ("text", "ocr") and low_confidence(bill, self.settings):
            better = self._mindee_or_none(data, filename, bill.warnings)
            if better is not None:
                return better
        return bill

    def _read_locally(self, data: bytes, filename: str, options: Options) -> Bill:
        kind = file_type(data, filename)
        if kind == "xml":
            return _with_kind(read_structured_xml(data, filename))
        if kind == "pdf":
            return self._read_pdf(data, filename, options)
        if kind == "image":
            document = self.pool.run("ocr_image", data, self.settings.ocr_languages, OCR_MAX_PAGES)
            return self._read_text(document, filename)
        raise ExtractionError(f"unsupported file type ({kind}): not a PDF, an XML e-invoice or an image")

    def _read_pdf(self, data: bytes, filename: str, options: Options) -> Bill:
        # Embedded XML, else the text layer and its rules, in one trip to a child: the worker's
        # own core stays free for the database and the mail.
        try:
            bill, warnings = self.pool.run("pdf_bill", data, filename, self.known_buyer, options.use_embedded_xml)
        except ExtractionError:
            # The child died or gave up on the file: each part again on its own, so that an XML
            # part that kills a reader does not keep the page text from being read.
            bill, warnings = self._read_pdf_in_steps(data, filename, options)
        if bill is None:
            document = self.pool.run("ocr_pdf", data, self.settings.ocr_languages, 200, OCR_MAX_PAGES)
            warnings.append("the PDF has no text layer: read by OCR")
            if len(document.pages) >= OCR_MAX_PAGES:
                warnings.append(f"a long scan: only its first {OCR_MAX_PAGES} pages were read")
            bill = self._read_text(document, filename)
        bill.warnings[:0] = warnings
        return bill

    def _read_pdf_in_steps(self, data: bytes, filename: str, options: Options) -> tuple[Bill | None, list[str]]:
        warnings: list[str] = []
        if options.use_embedded_xml:
            embedded = self._embedded_xml(data, filename, warnings)
            if embedded is not None:
                return embedded, []
        return self.pool.run("pdf_text_bill", data, filename, self.known_buyer), warnings

    def _embedded_xml(self, data: bytes, filename: str, warnings: list[str]) -> Bill | None:
        """The Factur-X/ZUGFeRD XML inside a PDF, or None (with the reason) to read it visually."""
        try:
            bill, reasons = self.pool.run("facturx_bill", data, filename)
        except ExtractionError as error:
            warnings.append(f"embedded XML not readable ({error}): the PDF was read visually")
            return None
        warnings.extend(reasons)
        return bill

    def _read_text(self, document: TextDocument, filename: str) -> Bill:
        return bill_from_text(document, filename, self.known_buyer)

    def _mindee_first(self, options: Options) -> bool:
        return options.engine == "mindee" and bool(self.settings.mindee_api_key)

    def _mindee_allowed(self, options: Options) -> bool:
        return options.engine == "auto" and bool(self.settings.mindee_api_key)

    def _mindee_or_none(self, data: bytes, filename: str, warnings: list[str]) -> Bill | None:
        from extraction.mindee import read_with_mindee

        try:
            bill = read_with_mindee(data, filename, self.settings.mindee_api_key,
                                    self.settings.mindee_base_url, self.settings.mindee_timeout_seconds)
        except ExtractionError as error:
            warnings.append(f"Mindee not used: {error}")
            return None
        bill.filename = filename
        return bill


def company_as_buyer(company: Company) -> Party | None:
    """The gateway's own company as the party bills are addressed to; None for the example identity.

    The shipped example company uses the dummy SIREN of many public test invoices, where it is the
    supplier's: taking it for the buyer would hide the supplier of every such sample.
    """
    if company.example:
        return None
    return Party(name=company.name or None, siren=company.siren or None, siret=company.siret or None,
                 vat_number=company.vat_number or None)


def low_confidence(bill: Bill, settings: Extraction) -> bool:
    return any(bill.confidence.get(name, 0.0) < settings.mindee_below_confidence for name in KEY_FIELDS)


def unreadable(filename: str, reason: str) -> Bill:
    return Bill(kind="other", source="text", filename=filename, warnings=[f"unreadable: {reason}"])


def _with_kind(bill: Bill) -> Bill:
    """A structured document without a known type code is classed by its file name."""
    if bill.kind == "other":
        bill.kind = classify("", bill.filename, bill.type_code)
    return bill


def extract_files(extractor: Extractor, files: list[tuple[str, bytes]], options: Options = Options()) -> list[Bill]:
    """One bill per file, in order; a file that repeats another is marked `duplicate_of`."""
    return mark_duplicates([extractor.extract(data, name, options) for name, data in files])
