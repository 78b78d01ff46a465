"""Untrusted XML: attacks and garbage end fast in ExtractionError with a reason; invoices parse."""

import socket
import time

import pytest

from extraction.model import ExtractionError
from extraction.safe_xml import parse_xml

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol%d;" % (i - 1) if i > 1 else "&lol;") * 10}">\n' for i in range(1, 10))
    + "]>\n<lolz>&lol9;</lolz>"
)
PASSWD_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
)


def refused(data: bytes, **options) -> str:
    """The reason parse_xml gives, checked to come within a second."""
    started = time.perf_counter()
    with pytest.raises(ExtractionError) as raised:
        parse_xml(data, **options)
    assert time.perf_counter() - started < 1
    return str(raised.value)


def test_billion_laughs_is_refused_fast():
    assert "entity" in refused(BILLION_LAUGHS.encode())


def test_billion_laughs_in_utf16_is_refused_fast():
    # The byte scan cannot read UTF-16: the parser's own limits and the DOCTYPE check must hold.
    utf16 = BILLION_LAUGHS.replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>').encode("utf-16")
    assert refused(utf16)


def test_external_entity_is_refused_and_the_file_is_not_read():
    reason = refused(PASSWD_ENTITY.encode())
    assert "entity" in reason and "root:" not in reason


def test_external_entity_in_utf16_is_refused_and_the_file_is_not_read():
    utf16 = PASSWD_ENTITY.replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>').encode("utf-16")
    reason = refused(utf16)
    assert "DOCTYPE" in reason and "root:" not in reason


def test_external_dtd_is_refused_without_touching_the_network():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(0.2)
        port = server.getsockname()[1]
        for encoding in ("utf-8", "utf-16"):
            xml = (f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
                   f'<!DOCTYPE r SYSTEM "http://127.0.0.1:{port}/x.dtd"><r/>')
            assert "DOCTYPE" in refused(xml.encode(encoding))
        with pytest.raises(socket.timeout):
            server.accept()


def test_not_xml_is_refused():
    assert "not well-formed" in refused(b"%PDF-1.7 this is no XML")


def test_empty_is_refused():
    assert "empty" in refused(b"")
    assert "empty" in refused(b"  \n ")


def test_truncated_xml_is_refused():
    assert "not well-formed" in refused(b'<?xml version="1.0"?><Invoice><ID>1</ID>')


def test_oversized_xml_is_refused_before_parsing():
    assert "too large" in refused(b"<a>" + b"x" * 2000 + b"</a>", max_bytes=1000)


def test_text_instead_of_bytes_is_refused():
    assert "bytes" in refused("<a/>")


def test_invoice_xml_parses_without_comments():
    root = parse_xml(b'<?xml version="1.0"?><!-- made by hand --><Invoice><ID>F1</ID><!-- x --></Invoice>')
    assert root.tag == "Invoice" and root.findtext("ID") == "F1" and len(root) == 1


def test_absurdly_deep_nesting_is_refused():
    assert "depth" in refused(b"<a>" * 100_000 + b"</a>" * 100_000)
