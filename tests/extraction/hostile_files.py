"""Hostile files for the readers: the corpus's broken PDFs and a few hundred generated ones.

Each is (name, bytes); the name's extension is what a sender claims, which may be a lie.
"""

import io
import random
import zlib
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter

from tests.extraction.hostile_pdfs import (
    A4_PAGE, CATALOG, ONE_KID, TEXT_CONTENT, build_pdf, jpeg_header, one_page_pdf, pdf_with_attachment,
    png, png_chunk, stream, tiff_header, zlib_of_zeros)

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "invoices"
TRUNCATION_SOURCES = ("facturx/library_src_test_resources_EN16931_Einfach.pdf", "pdf-text/saeco.pdf",
                      "facturx/akretion_invoice_EN16931.pdf")
TRUNCATIONS_PER_SOURCE = 36


def corpus_hostile() -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in sorted((CORPUS / "hostile").glob("*.pdf"))]


def generated() -> list[tuple[str, bytes]]:
    return (truncated_pdfs() + encrypted_pdfs() + bomb_pdfs() + nested_pdfs() + structural_pdfs()
            + garbage_pdfs() + image_bombs() + broken_images() + xml_bomb_pdfs() + empty_and_mislabelled())


def truncated_pdfs() -> list[tuple[str, bytes]]:
    files = []
    for source in TRUNCATION_SOURCES:
        data = (CORPUS / source).read_bytes()
        step = len(data) / TRUNCATIONS_PER_SOURCE
        offsets = [9, 64] + [int(step * index) for index in range(1, TRUNCATIONS_PER_SOURCE - 2)] + [len(data) - 20]
        files += [(f"truncated-{Path(source).stem[:20]}-{offset}.pdf", data[:offset]) for offset in offsets]
    return files


def encrypted_pdfs() -> list[tuple[str, bytes]]:
    reader = PdfReader(CORPUS / "pdf-text" / "saeco.pdf")
    files = []
    for algorithm in ("RC4-40", "RC4-128", "AES-128", "AES-256-R5", "AES-256"):
        for user_password in ("secret", ""):
            writer = PdfWriter(clone_from=reader)
            writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
            buffer = io.BytesIO()
            writer.write(buffer)
            files.append((f"encrypted-{algorithm}-{user_password or 'nouser'}.pdf", buffer.getvalue()))
    return files


def bomb_pdfs() -> list[tuple[str, bytes]]:
    """Streams that inflate to gigabytes: page content, an image, an attachment, a double Flate."""
    bomb = zlib_of_zeros(2)
    double = zlib.compress(bomb, 9)
    image_page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                  b"/Resources << /XObject << /Im0 5 0 R >> >> >>")
    image = stream(b"/Type /XObject /Subtype /Image /Width 46341 /Height 46341 /ColorSpace /DeviceGray "
                   b"/BitsPerComponent 8 /Filter /FlateDecode", bomb)
    return [
        ("bomb-content.pdf", build_pdf([CATALOG, ONE_KID, A4_PAGE, stream(b"/Filter /FlateDecode", bomb)])),
        ("bomb-content-double.pdf", build_pdf([CATALOG, ONE_KID, A4_PAGE,
                                               stream(b"/Filter [/FlateDecode /FlateDecode]", double)])),
        ("bomb-image.pdf", build_pdf([CATALOG, ONE_KID, image_page,
                                      stream(b"", b"q 595 0 0 842 0 0 cm /Im0 Do Q"), image])),
        ("bomb-attachment.pdf", pdf_with_attachment(b"factur-x.xml", bomb, b"/Filter /FlateDecode")),
        ("bomb-attachment-double.pdf", pdf_with_attachment(b"factur-x.xml", double,
                                                           b"/Filter [/FlateDecode /FlateDecode]")),
        ("bomb-objstm.pdf", build_pdf([CATALOG, ONE_KID, A4_PAGE, stream(b"", TEXT_CONTENT),
                                       stream(b"/Type /ObjStm /N 100000 /First 10 /Filter /FlateDecode", bomb)])),
    ]


def nested_pdfs() -> list[tuple[str, bytes]]:
    files = []
    for depth in (100, 1000, 10_000, 100_000, 500_000):
        arrays = b"[" * depth + b"]" * depth
        dicts = b"<< /A " * depth + b"1" + b" >>" * depth
        page = A4_PAGE[:-2] + b"/Annots " + arrays + b" >>"
        files.append((f"nested-array-{depth}.pdf", build_pdf([CATALOG, ONE_KID, page, stream(b"", TEXT_CONTENT)])))
        files.append((f"nested-dict-{depth}.pdf", build_pdf([CATALOG, ONE_KID, A4_PAGE, stream(b"", TEXT_CONTENT)],
                                                            trailer_extra=b"/Info " + dicts + b" ")))
        files.append((f"nested-content-{depth}.pdf", one_page_pdf(b"q " * depth + TEXT_CONTENT + b" Q" * depth)))
    return files


def structural_pdfs() -> list[tuple[str, bytes]]:
    """Page trees that loop or lie, thousands of pages, absurd page sizes, broken cross-references."""
    def pages_pdf(count: int) -> bytes:
        kids = b" ".join(b"%d 0 R" % (3 + index) for index in range(count))
        page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
        return build_pdf([CATALOG, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count] + [page] * count)

    def sized(box: bytes) -> bytes:
        return one_page_pdf(page=A4_PAGE.replace(b"[0 0 595 842]", box))

    valid = one_page_pdf()
    return [
        ("pages-3000.pdf", pages_pdf(3000)),
        ("pages-10000.pdf", pages_pdf(10_000)),
        ("pages-count-lies.pdf", build_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>",
                                            A4_PAGE, stream(b"", TEXT_CONTENT)])),
        ("pages-cycle.pdf", build_pdf([CATALOG, b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                                       b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"])),
        ("self-reference.pdf", build_pdf([b"1 0 R", ONE_KID])),
        ("page-huge.pdf", sized(b"[0 0 14400 14400]")),
        ("page-absurd.pdf", sized(b"[0 0 1e30 1e30]")),
        ("page-empty-box.pdf", sized(b"[0 0 0 0]")),
        ("page-negative-box.pdf", sized(b"[0 0 -595 -842]")),
        ("xref-offsets-wrong.pdf", valid.replace(b" 00000 n", b"99 00000 n")[:-30] + b"startxref\n999999999\n%%EOF\n"),
        ("xref-huge-count.pdf", valid.replace(b"xref\n0 5", b"xref\n0 999999999")),
        ("no-trailer.pdf", valid[: valid.rfind(b"trailer")]),
    ]


def garbage_pdfs() -> list[tuple[str, bytes]]:
    generator = random.Random(20241126)
    files = []
    for index in range(40):
        size = generator.choice((10, 100, 1000, 10_000, 100_000, 1_000_000))
        files.append((f"garbage-{index}.pdf", b"%PDF-1.7\n" + generator.randbytes(size)))
    keywords = (b"obj ", b"<< ", b"stream\n", b"xref\n", b"trailer ", b"[ ", b"/Type /Page ", b"1 0 R ")
    for index in range(10):
        words = b"".join(generator.choice(keywords) for _ in range(generator.choice((100, 10_000, 200_000))))
        files.append((f"garbage-keywords-{index}.pdf", b"%PDF-1.4\n" + words + b"\n%%EOF\n"))
    return files


def image_bombs() -> list[tuple[str, bytes]]:
    """Images whose declared size is beyond any scan, real or made of a tiny compressed stream."""
    bomb = zlib_of_zeros(1)
    width = 32767
    return [
        ("huge-png-header.png", png(50_000, 50_000, zlib.compress(b"\0" * 100))),
        ("huge-png-bomb.png", png(width, (1 << 30) // (width + 1), bomb)),
        ("huge-tiff.tiff", tiff_header(50_000, 50_000)),
        ("huge-jpeg.jpg", jpeg_header(65_000, 65_000)),
        # A 65535×65535 screen and image descriptor, with a few bytes of LZW data.
        ("huge-gif.gif", b"GIF89a\xff\xff\xff\xff\x00\x00\x00" + b",\x00\x00\x00\x00\xff\xff\xff\xff\x00"
                         + b"\x02\x02D\x01\x00;"),
        ("png-text-bomb.png", png(10, 10, zlib.compress(b"\0" * 110),
                                  png_chunk(b"zTXt", b"Comment\x00\x00" + zlib_of_zeros(1)[:200_000]))),
        ("png-zero-size.png", png(0, 0, zlib.compress(b""))),
        ("tiff-zero-size.tiff", tiff_header(0, 0)),
        ("jpeg-bomb-just-below.jpg", jpeg_header(6000, 6600)),
    ]


def broken_images() -> list[tuple[str, bytes]]:
    image = Image.new("L", (400, 200), 255)
    png_bytes, jpeg_bytes = _encoded(image, "PNG"), _encoded(image, "JPEG")
    files = [(f"truncated-{index}.png", png_bytes[: len(png_bytes) * index // 8]) for index in range(1, 8)]
    files += [(f"truncated-{index}.jpg", jpeg_bytes[: len(jpeg_bytes) * index // 8]) for index in range(1, 8)]
    files.append(("corrupt-middle.jpg", jpeg_bytes[:200] + bytes(500) + jpeg_bytes[700:]))
    frames = [Image.new("L", (64, 64), 255)] * 500
    files.append(("tiff-500-pages.tiff", _encoded(frames[0], "TIFF", save_all=True, append_images=frames[1:])))
    files.append(("gif-500-frames.gif", _encoded(frames[0], "GIF", save_all=True, append_images=frames[1:])))
    return files


def xml_bomb_pdfs() -> list[tuple[str, bytes]]:
    laughs = b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (level, (b"&lol%d;" % (level - 1) if level > 1 else b"&lol;") * 10)
        for level in range(1, 10)) + b']>\n<rsm:CrossIndustryInvoice xmlns:rsm="urn:x">&lol9;'
    laughs += b"</rsm:CrossIndustryInvoice>"
    quadratic = (b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "' + b"A" * 50_000 + b'">]><r>'
                 + b"&a;" * 50_000 + b"</r>")
    external = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>'
    endless = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///dev/zero">]>'
               b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">'
               b"&e;</rsm:CrossIndustryInvoice>")
    deep = b"<a>" * 200_000 + b"</a>" * 200_000
    files = []
    variants = (("laughs", laughs), ("quadratic", quadratic), ("external", external), ("endless", endless),
                ("deep", deep))
    for name, xml in variants:
        files.append((f"xml-bomb-{name}.pdf", pdf_with_attachment(b"factur-x.xml", xml)))
        files.append((f"xml-bomb-{name}-zugferd.pdf", pdf_with_attachment(b"zugferd-invoice.xml", xml)))
    return files


def empty_and_mislabelled() -> list[tuple[str, bytes]]:
    pdf = (CORPUS / "pdf-text" / "saeco.pdf").read_bytes()
    png_bytes = _encoded(Image.new("L", (300, 100), 255), "PNG")
    return [
        ("empty.pdf", b""), ("empty.png", b""), ("blank.pdf", b" \r\n\t "), ("header-only.pdf", b"%PDF"),
        ("header-version.pdf", b"%PDF-1.7\n"), ("header-eof.pdf", b"%PDF-1.7\n%%EOF\n"),
        ("image-as.pdf", png_bytes), ("pdf-as.jpg", pdf), ("pdf-as.png", pdf),
        ("zip-as.pdf", b"PK\x03\x04" + bytes(100)), ("html-as.pdf", b"<html><body>Facture</body></html>"),
        ("late-header.pdf", bytes(1000) + pdf),
    ]


def _encoded(image: Image.Image, format_name: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format_name, **options)
    return buffer.getvalue()
