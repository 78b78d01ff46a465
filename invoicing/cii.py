"""Small writers of UN/CEFACT CII elements: namespaced elements, dates (format 102), amounts."""

from datetime import date
from decimal import Decimal

from lxml import etree

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
CENT = Decimal("0.01")


def element(parent, qualified: str, **attributes):
    prefix, name = qualified.split(":")
    tag = f"{{{NS[prefix]}}}{name}"
    if parent is None:
        return etree.Element(tag, nsmap=NS, **attributes)
    return etree.SubElement(parent, tag, **attributes)


def text_element(parent, qualified: str, value: str, **attributes):
    node = element(parent, qualified, **attributes)
    node.text = value
    return node


def date_element(parent, qualified: str, value: date, prefix: str = "udt") -> None:
    text_element(element(parent, qualified), f"{prefix}:DateTimeString", value.strftime("%Y%m%d"), format="102")


def amount(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT))


def price(value: Decimal) -> str:
    # Unit prices may carry up to four decimals (hourly rates, small parts); keep at least two.
    value = Decimal(value)
    cents = value.quantize(CENT)
    return str(cents) if value == cents else format(value.normalize(), "f")


def quantity(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")
