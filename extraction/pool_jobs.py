"""The jobs the extraction pool's child processes run, by name: picklable values in and out.

This module is imported by the parent too (to check job names), so heavy libraries are imported
inside the jobs; warm_up() imports them once when a child starts.
"""

import os
import signal
import time

from extraction.model import ExtractionError

def warm_up() -> None:
    """Imports the readers before the first job, so that a job pays only for its own work."""
    import facturx  # noqa: F401
    import PIL.Image  # noqa: F401
    import pypdfium2  # noqa: F401

    import extraction.ocr  # noqa: F401
    import extraction.text_bill  # noqa: F401


def pdf_text(data: bytes, max_pages: int = 50):
    from extraction.pdf_text import read_pdf_text

    return read_pdf_text(data, max_pages=max_pages)


def pdf_text_bill(data: bytes, filename: str = "", known_buyer=None, max_pages: int = 50):
    """The bill read from a PDF's text layer, or None when the PDF has no usable text (OCR then)."""
    from extraction.ocr import needs_ocr
    from extraction.pdf_text import read_pdf_text
    from extraction.text_bill import bill_from_text

    document = read_pdf_text(data, max_pages=max_pages)
    return None if needs_ocr(document) else bill_from_text(document, filename, known_buyer)


def pdf_bill(data: bytes, filename: str = "", known_buyer=None, use_embedded_xml: bool = True) -> tuple:
    """(the bill of a PDF — its embedded XML, else its text layer — or None when OCR is needed,
    the reasons the embedded XML was not used): one trip to the child for the common case."""
    reasons: list[str] = []
    if use_embedded_xml:
        try:
            bill, reasons = facturx_bill(data, filename)
        except ExtractionError as error:
            bill, reasons = None, [f"embedded XML not readable ({error}): the PDF was read visually"]
        if bill is not None:
            return bill, []
    return pdf_text_bill(data, filename, known_buyer), reasons


def ocr_image(data: bytes, languages: str, max_pages: int = 20):
    from extraction.ocr import ocr_image as read

    return read(data, languages, max_pages=max_pages)


def ocr_pdf(data: bytes, languages: str, dpi: int = 200, max_pages: int = 20):
    from extraction.ocr import ocr_pdf as read

    return read(data, languages, dpi=dpi, max_pages=max_pages)


def facturx_bill(data: bytes, filename: str = "") -> tuple:
    """(the bill of the PDF's embedded Factur-X/ZUGFeRD/XRechnung XML or None, reasons it was not used).

    Read in the child because pypdf's parsing of a hostile PDF can blow up like pdfium's.
    """
    from extraction.facturx_pdf import read_facturx_pdf

    if not data or b"%PDF" not in data[:1024]:
        raise ExtractionError("not a PDF file (no %PDF header)")
    warnings: list[str] = []
    return read_facturx_pdf(data, filename, warnings), warnings


# Jobs used by the pool's own tests: they misbehave on purpose, in a child.
def selftest_pid() -> int:
    return os.getpid()


def selftest_sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def selftest_allocate(mebibytes: int) -> int:
    block = bytearray(mebibytes * 1024 * 1024)
    return len(block)


def selftest_crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def selftest_fail(message: str) -> None:
    raise ExtractionError(message)


JOBS = {
    "pdf_text": pdf_text,
    "pdf_text_bill": pdf_text_bill,
    "pdf_bill": pdf_bill,
    "ocr_image": ocr_image,
    "ocr_pdf": ocr_pdf,
    "facturx_bill": facturx_bill,
    "selftest_pid": selftest_pid,
    "selftest_sleep": selftest_sleep,
    "selftest_allocate": selftest_allocate,
    "selftest_crash": selftest_crash,
    "selftest_fail": selftest_fail,
}
