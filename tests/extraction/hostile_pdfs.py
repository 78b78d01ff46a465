"""Building blocks for hostile test files: a minimal PDF writer and a cheap multi-gigabyte zlib bomb."""

import functools
import struct
import zlib

A4_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 4 0 R >>"
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
ONE_KID = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
TEXT_CONTENT = b"BT /F1 12 Tf 72 720 Td (Facture) Tj ET"


def build_pdf(objects: list[bytes], trailer_extra: bytes = b"", version: bytes = b"1.7") -> bytes:
    """A PDF whose objects are numbered from 1 in order; object 1 is the catalog."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def stream(entries: bytes, payload: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (entries, len(payload)) + payload + b"\nendstream"


def one_page_pdf(content: bytes = TEXT_CONTENT, page: bytes = A4_PAGE, catalog: bytes = CATALOG) -> bytes:
    return build_pdf([catalog, ONE_KID, page, stream(b"", content)])


def pdf_with_attachment(name: bytes, payload: bytes, filters: bytes = b"") -> bytes:
    """A one-page PDF carrying `payload` as an embedded file called `name` (as Factur-X does)."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(%s) 5 0 R] >> >> >>" % name
    filespec = b"<< /Type /Filespec /F (%s) /UF (%s) /AFRelationship /Data /EF << /F 6 0 R >> >>" % (name, name)
    embedded = stream(b"/Type /EmbeddedFile /Subtype /text#2Fxml " + filters, payload)
    return build_pdf([catalog, ONE_KID, A4_PAGE, stream(b"", TEXT_CONTENT), filespec, embedded])


@functools.cache
def zlib_of_zeros(gibibytes: int) -> bytes:
    """A valid zlib stream that inflates to `gibibytes` GiB of zero bytes, made in well under a second.

    One MiB is deflated once, ending on a full flush so that the block repeats as it is; only the
    checksum needs the whole length, and adler32 of zeros is quick.
    """
    mebibyte = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(mebibyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = gibibytes * 1024
    checksum = 1
    for _ in range(count):
        checksum = zlib.adler32(mebibyte, checksum)
    return b"\x78\xda" + block * count + b"\x03\x00" + struct.pack(">I", checksum)


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int, height: int, idat: bytes, extra_chunks: bytes = b"") -> bytes:
    """An 8-bit grayscale PNG with the given (possibly lying) size and compressed pixel data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + extra_chunks
            + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b""))


def tiff_header(width: int, height: int) -> bytes:
    """A little-endian TIFF whose one directory declares a width×height grayscale strip."""
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1),
               (262, 3, 1, 1), (273, 4, 1, 8 + 2 + 12 * 8 + 4), (278, 4, 1, height), (279, 4, 1, 16)]
    directory = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHII", tag, kind, count, value) for tag, kind, count, value in entries)
    return b"II*\x00" + struct.pack("<I", 8) + directory + struct.pack("<I", 0) + bytes(16)


def jpeg_header(width: int, height: int) -> bytes:
    """A JPEG start (SOI, a baseline frame header of the given size) with no real scan data."""
    frame = struct.pack(">BHHB", 8, height, width, 1) + bytes([1, 0x11, 0])
    return (b"\xff\xd8" + b"\xff\xc0" + struct.pack(">H", len(frame) + 2) + frame
            + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + bytes(64) + b"\xff\xd9")
