"""Read a standalone e-invoice XML file (CII or UBL) into a Bill, choosing the reader by root element."""

from lxml import etree

from extraction.cii import LAYOUTS as CII_ROOTS
from extraction.cii import read_cii
from extraction.model import Bill, ExtractionError
from extraction.safe_xml import parse_xml
from extraction.structured_fields import local_name
from extraction.ubl import ROOTS as UBL_ROOTS
from extraction.ubl import read_ubl

UBL_NAMESPACE_PREFIX = "urn:oasis:names:specification:ubl:schema:xsd:"


def read_structured_xml(data: bytes, filename: str = "") -> Bill:
    """The bill of a CII (source "cii") or UBL (source "ubl") document.

    ExtractionError when the bytes are not safe, well-formed XML or not an invoice format we read."""
    return read_structured_root(parse_xml(data), filename)


def read_structured_root(root, filename: str = "", source: str | None = None) -> Bill:
    """The bill of an already parsed root; `source` overrides the format name (e.g. "facturx")."""
    name = local_name(root)
    namespace = etree.QName(root).namespace or ""
    # The namespace is checked too: a home-made <Invoice> is not UBL and would read as empty.
    if name in CII_ROOTS and "CrossIndustry" in namespace:
        return read_cii(root, filename, source or "cii")
    if name in UBL_ROOTS and namespace.startswith(UBL_NAMESPACE_PREFIX):
        return read_ubl(root, filename, source or "ubl")
    raise ExtractionError(
        f"XML root element {name!r} (namespace {namespace or 'none'!r}) is neither a CII CrossIndustryInvoice "
        "nor a UBL Invoice or CreditNote"
    )
