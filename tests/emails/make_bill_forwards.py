"""Writes tests/emails/bills/*.eml: a real supplier bill forwarded by each French mail client, both ways.

Run `python tests/emails/make_bill_forwards.py` to write them again; the output is the same bytes
every time (fixed Message-IDs, dates and boundaries, CRLF line ends). Each client's structure and
header style follow its existing forward in tests/emails/*forward*.eml. `bills/index.json` says,
for each message, who forwarded it, what the forwarded original was and which corpus file it holds.
"""

import base64
import json
import quopri
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "bills"
CORPUS = HERE.parents[1].parent / "shared" / "corpus"
GATEWAY = "factures@exemple.test"


@dataclass(frozen=True)
class Bill:
    """The supplier's original mail: who sent it, when, and the corpus PDF it carries."""

    corpus_file: str  # relative to the corpus root, as in its manifest.json
    filename: str
    supplier_name: str
    supplier_address: str
    subject: str
    message_id: str
    date: str  # RFC 5322, as the supplier's software wrote it
    body: str

    @property
    def pdf(self) -> bytes:
        return (CORPUS / self.corpus_file).read_bytes()


@dataclass(frozen=True)
class Staff:
    name: str
    address: str


# One French Factur-X invoice and one French text-only PDF; each client forwards both, one each way.
FACTURX = Bill(
    "invoices/facturx/akretion_invoice_EN16931.pdf", "Facture F20260023.pdf", "LE FOURNISSEUR",
    "facturation@le-fournisseur.example", "Facture F20260023", "<20260202081405.7C31A2F0@mail.le-fournisseur.example>",
    "Mon, 2 Feb 2026 09:14:05 +0100",
    "Bonjour,\n\nVeuillez trouver ci-joint notre facture F20260023 au format Factur-X.\n\n"
    "Cordialement,\n--\nLe Fournisseur - service facturation\n35 rue d'ici, 75018 Paris\n",
)
TEXT_PDF = Bill(
    "invoices/pdf-text/NetpresseInvoice.pdf", "Facture_2022089083.pdf", "NETPRESSE", "factures@netpresse.example",
    "Votre facture NETPRESSE n° 2022089083", "<5f0c2a9e41d8.20221128100231@netpresse.example>",
    "Mon, 28 Nov 2022 10:02:31 +0100",
    "Bonjour,\n\nVotre facture n° 2022089083 est disponible en pièce jointe.\n\n"
    "Merci de votre confiance,\nL'équipe NETPRESSE\n",
)


def qp(text: str, charset: str = "utf-8") -> str:
    return quopri.encodestring(text.encode(charset)).decode("ascii")


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii")


def html_text(text: str) -> str:
    """Plain text as a client's HTML part writes it: escaped, one <br> per line."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
    return escaped.rstrip("\n").replace("\n", "<br>\n")


def original(bill: Bill, staff: Staff) -> str:
    """The supplier's message as it reached the staff member's mailbox."""
    boundary = "=_" + bill.message_id[1:13].replace(".", "")
    host = "mail." + bill.supplier_address.split("@")[1]
    return (
        f"Return-Path: <{bill.supplier_address}>\n"
        f"Received: from {host} ({host} [192.0.2.41])\n"
        f"\tby mx.exemple.test (Postfix) with ESMTPS id 4ZB0w51Qk3z9sWk\n"
        f"\tfor <{staff.address}>; {bill.date}\n"
        f"Date: {bill.date}\nFrom: {bill.supplier_name} <{bill.supplier_address}>\n"
        f"To: {staff.name} <{staff.address}>\nSubject: {header_words(bill.subject)}\nMessage-ID: {bill.message_id}\n"
        f'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="{boundary}"\nX-Mailer: Facturation 4.1\n\n'
        f"--{boundary}\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        f"{qp(bill.body)}\n--{boundary}\n"
        f'Content-Type: application/pdf; name="{bill.filename}"\n'
        f'Content-Disposition: attachment; filename="{bill.filename}"\nContent-Transfer-Encoding: base64\n\n'
        f"{b64(bill.pdf)}--{boundary}--\n"
    )


def header_words(text: str) -> str:
    """A header value, RFC 2047 encoded when it holds anything but ASCII."""
    if text.isascii():
        return text
    return "=?UTF-8?Q?" + qp(text).replace("\n", "").replace("=\r", "").replace(" ", "_").replace("?", "=3F") + "?="


def quoted(text: str) -> str:
    """Apple Mail quotes a forwarded message in its plain text with "> ", as a citation."""
    return "\n".join(f"> {line}" if line else ">" for line in text.rstrip("\n").split("\n")) + "\n"


@dataclass(frozen=True)
class Forward:
    """One fixture: a client, a way of forwarding, who forwards which bill, and when."""

    client: str
    way: str  # "inline" or "attachment"
    staff: Staff
    bill: Bill
    date: str
    message_id: str

    @property
    def name(self) -> str:
        return f"{self.client}_{self.way}"


DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
SHORT_MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


def sent_on(bill: Bill) -> datetime:
    return parsedate_to_datetime(bill.date)


def outlook_date(bill: Bill) -> str:
    sent = sent_on(bill)
    return f"{DAYS[sent.weekday()]} {sent.day} {MONTHS[sent.month - 1]} {sent.year} {sent:%H:%M}"


def gmail_date(bill: Bill) -> str:
    sent = sent_on(bill)
    return f"{DAYS[sent.weekday()][:3]}. {sent.day} {SHORT_MONTHS[sent.month - 1]} {sent.year} à {sent:%H:%M}"


def apple_date(bill: Bill) -> str:
    sent = sent_on(bill)
    hours = int(sent.utcoffset().total_seconds() // 3600)
    return f"{sent.day} {MONTHS[sent.month - 1]} {sent.year} à {sent:%H:%M:%S} UTC{hours:+d}"


def supplier(bill: Bill) -> str:
    return f"{bill.supplier_name} <{bill.supplier_address}>"


# Outlook for Windows and Microsoft 365, French: "TR:", the rule and the "De :" block, iso-8859-1.


def outlook_texts(forward: Forward) -> tuple[str, str]:
    """The plain and HTML bodies: the note, then for an inline forward the rule and the "De :" block."""
    bill, staff = forward.bill, forward.staff
    note = "Bonjour,\n\nFacture reçue ce matin, pour traitement.\n\nJean\n"
    plain, html = note, f'<div class="elementToProof">{html_text(note)}</div>\n'
    if forward.way == "inline":
        block = [("De", supplier(bill)), ("Envoyé", outlook_date(bill)), ("À", f"{staff.name} <{staff.address}>"),
                 ("Objet", bill.subject)]
        plain += "\n________________________________\n" + "".join(f"{k} : {v}\n" for k, v in block) + "\n" + bill.body
        html += (
            '<div id="appendonsend"></div>\n<hr style="display:inline-block;width:98%" tabindex="-1">\n'
            '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" '
            'color="#000000">' + "<br>\n".join(f"<b>{k}&nbsp;:</b> {html_text(v)}" for k, v in block)
            + f"</font>\n<div>&nbsp;</div>\n</div>\n<div>{html_text(bill.body)}</div>\n"
        )
    html = (
        '<html><head>\n<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">\n'
        '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\n'
        f'</head>\n<body dir="ltr">\n{html}</body>\n</html>\n'
    )
    return plain, html


def outlook(forward: Forward) -> str:
    bill, staff = forward.bill, forward.staff
    local = forward.message_id.strip("<>").split("@")[0]
    mixed, alternative = f"_004_{local}PR3PR08MB5691eurp_", f"_000_{local}PR3PR08MB5691eurp_"
    plain, html = outlook_texts(forward)
    headers = (
        f"From: {staff.name} <{staff.address}>\nTo: \"{GATEWAY}\" <{GATEWAY}>\nSubject: TR: {header_words(bill.subject)}\n"
        f"Thread-Topic: {header_words(bill.subject)}\nThread-Index: AQHbdE5xk0l8m2QxR0CPxqG6aC3J+A==\n"
        f"Date: {forward.date}\nMessage-ID:\n {forward.message_id}\n"
        + (f"References: {bill.message_id}\nIn-Reply-To: {bill.message_id}\n" if forward.way == "inline" else "")
        + "Accept-Language: fr-FR, en-US\nContent-Language: fr-FR\nX-MS-Has-Attach: yes\nX-MS-TNEF-Correlator:\n"
        f'x-ms-publictraffictype: Email\nContent-Type: multipart/mixed;\n\tboundary="{mixed}"\nMIME-Version: 1.0\n\n'
    )
    body = (
        f'--{mixed}\nContent-Type: multipart/alternative;\n\tboundary="{alternative}"\n\n'
        + alternatives(alternative, plain, html, '"iso-8859-1"', "iso-8859-1") + f"\n--{mixed}\n"
    )
    # Outlook stamps the attached file with the moment the forward was written, in GMT.
    stamp = format_datetime(parsedate_to_datetime(forward.date).astimezone(timezone.utc), usegmt=True)
    if forward.way == "inline":
        body += (
            f'Content-Type: application/pdf; name="{bill.filename}"\nContent-Description: {bill.filename}\n'
            f'Content-Disposition: attachment; filename="{bill.filename}"; size={len(bill.pdf)};\n'
            f'\tcreation-date="{stamp}";\n\tmodification-date="{stamp}"\nContent-Transfer-Encoding: base64\n\n'
            f"{b64(bill.pdf)}\n"
        )
    else:
        body += (
            f'Content-Type: message/rfc822\nContent-Disposition: attachment;\n\tcreation-date="{stamp}";\n'
            f'\tmodification-date="{stamp}"\n\n{original(bill, staff)}\n'
        )
    return headers + body + f"--{mixed}--\n"


def alternatives(boundary: str, plain: str, html: str, charset_param: str, charset: str) -> str:
    """A multipart/alternative's two quoted-printable parts and its closing line."""
    return (
        f'--{boundary}\nContent-Type: text/plain; charset={charset_param}\nContent-Transfer-Encoding: quoted-printable\n\n'
        f"{qp(plain, charset)}\n--{boundary}\n"
        f'Content-Type: text/html; charset={charset_param}\nContent-Transfer-Encoding: quoted-printable\n\n'
        f"{qp(html, charset)}\n--{boundary}--\n"
    )


# Gmail (Google Workspace), French: "Message transféré", "De :" with a no-break space, QP UTF-8.


def gmail_texts(forward: Forward) -> tuple[str, str]:
    """The plain and HTML bodies: the note, then for an inline forward the "Message transféré" block."""
    bill, staff = forward.bill, forward.staff
    note = "Pour la compta, merci.\n"
    plain, html = note, f'<div dir="ltr">{html_text(note)}'
    if forward.way == "inline":
        block = [("De", supplier(bill)), ("Date", gmail_date(bill)), ("Objet", bill.subject),
                 ("À", f"{staff.name} <{staff.address}>")]
        plain += "\n---------- Message transféré ---------\n" + "".join(f"{k}\u00a0: {v}\n" for k, v in block)
        plain += "\n\n" + bill.body
        html += (
            '<br><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">'
            "---------- Message transféré ---------<br>"
            + "<br>".join(f"{k}&nbsp;: {html_text(v)}" for k, v in block)
            + f"<br></div><br><br>{html_text(bill.body)}</div>"
        )
    return plain, html + "</div>\n"


def gmail(forward: Forward) -> str:
    bill, staff = forward.bill, forward.staff
    mixed, alternative, attachment_id = "000000000000a1c3e50612f0b7d9", "000000000000a1c3e40612f0b7d7", "f_m6n2q8rk0"
    plain, html = gmail_texts(forward)
    headers = (
        f"MIME-Version: 1.0\nFrom: {staff.name} <{staff.address}>\nDate: {forward.date}\n"
        "X-Gm-Features: AWEUYZlWq3hV8nB2xK0cR5tD7fA\n"
        f"Message-ID: {forward.message_id}\nSubject: Fwd: {header_words(bill.subject)}\nTo: {GATEWAY}\n"
        f'Content-Type: multipart/mixed; boundary="{mixed}"\n\n'
    )
    body = (
        f'--{mixed}\nContent-Type: multipart/alternative; boundary="{alternative}"\n\n'
        + alternatives(alternative, plain, html, '"UTF-8"', "utf-8") + f"--{mixed}\n"
    )
    if forward.way == "inline":
        body += (
            f'Content-Type: application/pdf; name="{bill.filename}"\n'
            f'Content-Disposition: attachment; filename="{bill.filename}"\nContent-Transfer-Encoding: base64\n'
            f"Content-ID: <{attachment_id}>\nX-Attachment-Id: {attachment_id}\n\n{b64(bill.pdf)}"
        )
    else:
        name = f"{bill.subject}.eml" if bill.subject.isascii() else "noname.eml"
        body += (
            f'Content-Type: message/rfc822; name="{name}"\nContent-Disposition: attachment; filename="{name}"\n'
            f"Content-ID: <{attachment_id}>\nX-Attachment-Id: {attachment_id}\n\n{original(bill, staff)}"
        )
    return headers + body + f"--{mixed}--\n"


# Apple Mail (macOS), French: "Début du message réexpédié :", the forward quoted as a citation, and
# Apple's own structure: the attachment sits between two HTML parts inside the alternative.


APPLE_TEXT = "Content-Transfer-Encoding: quoted-printable\nContent-Type: text/plain;\n\tcharset=utf-8\n\n"
APPLE_HTML = "Content-Transfer-Encoding: quoted-printable\nContent-Type: text/html;\n\tcharset=utf-8\n\n"
APPLE_NOTE = "Pour la compta.\n\nPaul\n"


def apple_mail(forward: Forward) -> str:
    bill, staff = forward.bill, forward.staff
    outer = "Apple-Mail=_5E1F0A7C-3B2D-4C8E-9F61-0A2B4C6D8E01"
    headers = (
        f"From: {staff.name} <{staff.address}>\n"
        f'Content-Type: multipart/{"alternative" if forward.way == "inline" else "mixed"};\n'
        f'\tboundary="{outer}"\nMime-Version: 1.0 (Mac OS X Mail 16.0 \\(3826.500.181.1.5\\))\n'
        f"Subject: Fwd: {header_words(bill.subject)}\nDate: {forward.date}\nReferences: {bill.message_id}\n"
        f"To: {GATEWAY}\nMessage-Id: {forward.message_id}\nX-Mailer: Apple Mail (2.3826.500.181.1.5)\n\n\n"
    )
    if forward.way == "inline":
        return headers + apple_inline_body(forward, outer)
    name = f"{bill.subject}.eml"
    return headers + (
        f"--{outer}\n{APPLE_TEXT}{qp(APPLE_NOTE)}\n--{outer}\nContent-Disposition: attachment;\n"
        f'\tfilename="{name}"\nContent-Type: message/rfc822;\n\tx-unix-mode=0644;\n\tname="{name}"\n'
        f"Content-Transfer-Encoding: 7bit\n\n{original(bill, staff)}\n--{outer}\n"
        "Content-Transfer-Encoding: 7bit\nContent-Type: text/plain;\n\tcharset=us-ascii\n\n\n\n"
        f"--{outer}--\n"
    )


def apple_inline_body(forward: Forward, outer: str) -> str:
    """The quoted plain text, then the HTML cut in two around the PDF, as Apple Mail lays it out."""
    bill, staff = forward.bill, forward.staff
    inner = "Apple-Mail=_8D2C4B1A-6E3F-4A7B-8C9D-1E2F3A4B5C6D"
    block = [("De", supplier(bill)), ("Objet", bill.subject), ("Date", apple_date(bill)),
             ("À", f"{staff.name} <{staff.address}>")]
    forwarded = "Début du message réexpédié\u00a0:\n\n" + "".join(f"{k}: {v}\n" for k, v in block) + "\n" + bill.body
    html_head = (
        '<html aria-label="corps du message"><head><meta http-equiv="content-type" content="text/html; charset=utf-8">'
        f'</head><body style="overflow-wrap: break-word;">{html_text(APPLE_NOTE)}<br><div><br><blockquote type="cite">'
        "<div>Début du message réexpédié&nbsp;:</div><br><div>"
        + "".join(f'<div style="margin: 0px;"><b>{k}: </b>{html_text(v)}<br></div>' for k, v in block)
        + f"</div><br><div>{html_text(bill.body)}</div></blockquote></div><div></div></body></html>"
    )
    return (
        f"--{outer}\n{APPLE_TEXT}{qp(APPLE_NOTE + chr(10) + quoted(forwarded))}\n--{outer}\n"
        f'Content-Type: multipart/mixed;\n\tboundary="{inner}"\n\n\n--{inner}\n{APPLE_HTML}{qp(html_head)}\n--{inner}\n'
        f'Content-Disposition: inline;\n\tfilename="{bill.filename}"\nContent-Type: application/pdf;\n'
        f'\tx-unix-mode=0644;\n\tname="{bill.filename}"\nContent-Transfer-Encoding: base64\n\n{b64(bill.pdf)}\n'
        f"--{inner}\n{APPLE_HTML}{qp('<html><head></head><body></body></html>')}\n--{inner}--\n\n--{outer}--\n"
    )


# Thunderbird, French: "-------- Message transféré --------", labels then a tab, 8bit UTF-8 flowed.


def thunderbird(forward: Forward) -> str:
    bill, staff = forward.bill, forward.staff
    tail = "Qw7Ty2Ui9Op4As1Df6Gh3Jk8" if forward.way == "inline" else "Zx5Cv0Bn6Mm1Lk7Jh2Gf4Ds9"
    boundary = "------------" + tail
    note = "Facture à saisir, merci.\n\nClaire\n"
    headers = (
        f'Content-Type: multipart/mixed; boundary="{boundary}"\nMessage-ID: {forward.message_id}\n'
        f"Date: {forward.date}\nMIME-Version: 1.0\nUser-Agent: Mozilla Thunderbird\nContent-Language: fr\n"
        f"To: {GATEWAY}\nFrom: {staff.name} <{staff.address}>\nSubject: Fwd: {header_words(bill.subject)}\n\n"
        f"This is a multi-part message in MIME format.\n--{boundary}\n"
        "Content-Type: text/plain; charset=UTF-8; format=flowed\nContent-Transfer-Encoding: 8bit\n\n"
    )
    if forward.way == "attachment":
        name = f"{bill.subject}.eml"
        return headers + (
            f'{note}\n--{boundary}\nContent-Type: message/rfc822; name="{name}"\n'
            f'Content-Disposition: attachment; filename="{name}"\n\n{original(bill, staff)}\n--{boundary}--\n'
        )
    block = [("Sujet", bill.subject), ("Date", bill.date), ("De", supplier(bill)),
             ("Pour", f"{staff.name} <{staff.address}>")]
    text = note + "\n\n-------- Message transféré --------\n" + "".join(f"{k} : \t{v}\n" for k, v in block)
    return headers + (
        f"{text}\n\n\n{bill.body}\n--{boundary}\n"
        f'Content-Type: application/pdf; name="{bill.filename}"\n'
        f'Content-Disposition: attachment; filename="{bill.filename}"\nContent-Transfer-Encoding: base64\n\n'
        f"{b64(bill.pdf)}\n--{boundary}--\n"
    )


RENDERERS = {"outlook": outlook, "gmail": gmail, "apple_mail": apple_mail, "thunderbird": thunderbird}

JEAN = Staff("Jean Martin", "jean.martin@exemple.test")
MARIE = Staff("Marie Durand", "marie.durand@exemple.test")
PAUL = Staff("Paul Bernard", "paul.bernard@exemple.test")
CLAIRE = Staff("Claire Petit", "claire.petit@exemple.test")
# Each client forwards the Factur-X bill one way and the text PDF the other way.
FORWARDS = [
    Forward("outlook", "inline", JEAN, FACTURX, "Mon, 2 Feb 2026 08:21:47 +0000",
            "<PR3PR08MB5691A1B2C3D4E5F60718293A4B5C6D7E8@PR3PR08MB5691.eurprd08.prod.outlook.com>"),
    Forward("outlook", "attachment", JEAN, TEXT_PDF, "Mon, 28 Nov 2022 09:40:12 +0000",
            "<PR3PR08MB5691F0E1D2C3B4A59687A6B5C4D3E2F10@PR3PR08MB5691.eurprd08.prod.outlook.com>"),
    Forward("gmail", "inline", MARIE, TEXT_PDF, "Mon, 28 Nov 2022 10:47:03 +0100",
            "<CAHx7Lq0v3Jd9xQm2bK8pW4tZr1Yc6nF5sG0aE3uV9iO2hT7mBw@mail.gmail.com>"),
    Forward("gmail", "attachment", MARIE, FACTURX, "Mon, 2 Feb 2026 09:52:40 +0100",
            "<CAHx7Lq2kP8sN3wR6yT1uV4zX7aB0cD3eF6gH9iJ2kL5mN8oQ1r@mail.gmail.com>"),
    Forward("apple_mail", "inline", PAUL, FACTURX, "Mon, 2 Feb 2026 10:05:18 +0100",
            "<6B0E2D4F-1A3C-4E5B-8D7F-9A1B2C3D4E5F@exemple.test>"),
    Forward("apple_mail", "attachment", PAUL, TEXT_PDF, "Mon, 28 Nov 2022 11:12:54 +0100",
            "<F1E2D3C4-B5A6-4978-8695-A4B3C2D1E0F9@exemple.test>"),
    Forward("thunderbird", "inline", CLAIRE, TEXT_PDF, "Mon, 28 Nov 2022 11:30:09 +0100",
            "<3c9e1f7a-2b4d-4e6f-8a0c-1d3e5f7a9b2c@exemple.test>"),
    Forward("thunderbird", "attachment", CLAIRE, FACTURX, "Mon, 2 Feb 2026 10:20:33 +0100",
            "<9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d@exemple.test>"),
]


def render(forward: Forward) -> str:
    return RENDERERS[forward.client](forward)


def index_entry(forward: Forward) -> dict:
    bill = forward.bill
    return {
        "file": f"{forward.name}.eml", "client": forward.client, "way": forward.way,
        "staff": forward.staff.address, "message_id": forward.message_id,
        "original": {"sender": bill.supplier_address, "subject": bill.subject, "message_id": bill.message_id},
        "pdf": {"filename": bill.filename, "corpus_file": bill.corpus_file,
                "expected": str(Path(bill.corpus_file).with_suffix(".expected.json"))},
    }


def write_all(output: Path = OUTPUT) -> list[Path]:
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for forward in FORWARDS:
        path = output / f"{forward.name}.eml"
        # Every line ends in CRLF, as SMTP carries a message and as the clients send it.
        path.write_bytes(render(forward).replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))
        written.append(path)
    index = [index_entry(forward) for forward in FORWARDS]
    (output / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return written


if __name__ == "__main__":
    for written_path in write_all():
        print(written_path.relative_to(HERE.parents[1]))
