"""Supplier bills forwarded by staff (or sent by a configured supplier): read, checked, summarised."""

import re
from dataclasses import dataclass

from accounting.purchases import propose_account
from bills.booking import is_reverse_charge
from bills.models import UnreadableFile
from bills.suppliers import find_supplier
from bills.values import amount, row_from_extraction
from extraction.engine import Extractor, company_as_buyer, extract_files
from extraction.file_types import file_type
from extraction.model import Bill
from extraction.pool import get_pool
from extraction.summary import KIND_NAMES
from gateway.app import Gateway
from gateway.mailbox import Mailbox
from gateway.parsed import ParsedMail
from handlers.bill_flow import settle_new_bill

# "TR:", "Fwd:", "WG:"…: a forward's subject, in the languages of the common mail clients.
FORWARD_SUBJECT = re.compile(r"(?i)\s*(tr|fwd?|wg|rv|enc|vl)\s*:")
# What extraction can read; anything else attached (a .docx, a calendar invite) is not a bill.
DOCUMENT_TYPES = ("pdf", "xml", "image")
SMALLEST_SCAN = 15_000  # bytes


@dataclass(frozen=True)
class ReadFile:
    bill: Bill
    data: bytes


def documents(parsed: ParsedMail) -> list[tuple[str, bytes]]:
    """The attachments that may be bills: PDFs, XML e-invoices, scans and photos."""
    found = []
    for attachment in parsed.attachments:
        kind = file_type(attachment.data, attachment.filename)
        if kind in DOCUMENT_TYPES and not (kind == "image" and _is_signature_logo(attachment)):
            found.append((attachment.filename or f"document-{len(found) + 1}.{kind}", attachment.data))
    return found


def _is_signature_logo(attachment) -> bool:
    # Images shown in the body, and small ones anywhere, are the logos of signatures: a scan or a
    # phone photo of a bill weighs far more. Reading them would only cost OCR time.
    return attachment.origin == "inline" or attachment.size < SMALLEST_SCAN


def read_documents(gateway: Gateway, parsed: ParsedMail) -> list[ReadFile]:
    config = gateway.config
    files = documents(parsed)
    if not files:
        return []
    extractor = Extractor(config.extraction, get_pool(config), known_buyer=company_as_buyer(config.company))
    return [ReadFile(bill, data) for bill, (_, data) in zip(extract_files(extractor, files), files)]


def other_documents(read: list[ReadFile]) -> list[str]:
    """The documents of the mail that are not booked, named for the summary."""
    names = []
    for item in read:
        bill = item.bill
        if bill.duplicate_of:
            names.append(f"{bill.filename} : même facture que {bill.duplicate_of}, comptée une fois")
        elif any(warning.startswith("unreadable") for warning in bill.warnings):
            names.append(f"{bill.filename} : illisible")
        elif bill.kind == "statement":
            # A bank statement as a PDF or a scan: its lines are not read; the bank's export files are.
            names.append(f"{bill.filename} : relevé bancaire, non comptabilisé ; pour enregistrer les paiements, "
                         "envoyez l'export de votre banque au format CAMT.053, CFONB 120, OFX ou CSV")
        elif not bill.is_bill:
            names.append(f"{bill.filename} : {KIND_NAMES.get(bill.kind, bill.kind)}, non comptabilisé")
    return names


class BillsMailbox(Mailbox):
    accepts = {"help"}
    channel = "forward"

    @classmethod
    def prepare(cls, gateway: Gateway, parsed: ParsedMail) -> list[ReadFile]:
        # Reading takes up to seconds (OCR): done before the row lock, handed to `process`.
        return read_documents(gateway, parsed)

    def reviewer(self) -> str:
        return self.parsed.sender

    def process(self) -> None:
        if self.is_plain_question():
            # Typed to the gateway, with no file and nothing forwarded: the help says what it does.
            self.reply("help_reply", route="help", gateway_address=self._our_address(),
                       company=self.gateway.config.company)
            return
        read = self.prepared if self.prepared is not None else read_documents(self.gateway, self.parsed)
        self._record_unreadable(read)
        bills = [item for item in read if item.bill.is_bill and not item.bill.duplicate_of]
        others = other_documents(read)
        if not bills:
            self.nothing_found(read, others)
            return
        outcomes = []
        for index, item in enumerate(bills, start=1):
            position = f"{index} sur {len(bills)}" if len(bills) > 1 else ""
            row = self._store(item)
            outcomes.append(f"bill {row.id}: {settle_new_bill(self, row, others, position)}")
        self.reason = "; ".join(outcomes)

    def is_plain_question(self) -> bool:
        parsed = self.parsed
        return not (parsed.attachments or parsed.forwarded or FORWARD_SUBJECT.match(parsed.subject or ""))

    def nothing_found(self, read: list[ReadFile], others: list[str]) -> None:
        self.reason = f"no invoice among {len(read)} document(s)"
        self.reply("bill_nothing_found", documents=others, attachments_count=len(self.parsed.attachments))

    def _store(self, item: ReadFile):
        config = self.gateway.config
        row = row_from_extraction(item.bill, item.data, mail_id=self.mail.id, forwarded_by=self.parsed.sender,
                                  reviewer=self.reviewer(), channel=self.channel)
        row.reverse_charge = is_reverse_charge(row.supplier_vat_number, amount(row.total_tax), item.bill.warnings)
        supplier = find_supplier(self.session, row.supplier_key)
        # The category is guessed from the words the bill came with: supplier, file, subjects.
        subjects = [self.parsed.subject, *(forwarded.subject for forwarded in self.parsed.forwarded)]
        words = " ".join([row.supplier_name, row.filename, *subjects])
        row.account, row.account_reason = propose_account(words, supplier.last_account if supplier else None,
                                                          config.accounting)
        self.session.add(row)
        self.session.flush()
        return row

    def _record_unreadable(self, read: list[ReadFile]) -> None:
        for item in read:
            for warning in item.bill.warnings:
                if warning.startswith("unreadable"):
                    self.session.add(UnreadableFile(mail_id=self.mail.id, filename=item.bill.filename[:255],
                                                    reason=warning[:2000]))


class SupplierBillsMailbox(BillsMailbox):
    """A configured supplier writing to the gateway itself: the summary goes to staff, never back."""

    channel = "supplier"

    def is_plain_question(self) -> bool:
        return False  # A supplier is never answered, not even with the help.

    def reviewer(self) -> str:
        config = self.gateway.config
        return config.bills.notify or config.mail.manager

    def nothing_found(self, read: list[ReadFile], others: list[str]) -> None:
        # The supplier is never answered; a mail without a bill is only recorded.
        self.reason = f"supplier mail without an invoice among {len(read)} document(s); not answered"
