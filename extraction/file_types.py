"""What a file is, from its first bytes rather than its name (mail clients lie about both)."""

IMAGE_SIGNATURES = (
    b"\xff\xd8\xff",                 # JPEG
    b"\x89PNG\r\n\x1a\n",            # PNG
    b"II*\x00", b"MM\x00*",          # TIFF, little and big endian
)
# A BOM or whitespace may precede an XML declaration.
XML_PREFIXES = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def file_type(data: bytes, filename: str = "") -> str:
    """One of "pdf", "xml", "image", "empty" or "unknown"."""
    if not data.strip():
        return "empty"
    head = data[:1024]
    # PDF readers accept the header anywhere in the first kilobyte, and so do we.
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(IMAGE_SIGNATURES):
        return "image"
    if _looks_like_xml(head):
        return "xml"
    return "unknown"


def _looks_like_xml(head: bytes) -> bool:
    for prefix in XML_PREFIXES:
        if head.startswith(prefix):
            return True
    return head.lstrip().startswith(b"<")
