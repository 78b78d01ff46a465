"""The accountant's loop end to end: an invoice issued and paid over SMTP, `accounting send` writes the
month's mail to the Maildir, the accountant answers a correction over SMTP and gets the corrected file."""

import io
import zipfile

import pytest
from sqlalchemy import select

from accounting.entries import unbalanced
from accounting.exports import read_export
from accounting.periods import month_of, month_text
from gateway.models import Outbox
from invoicing.issue import today_in
from tests.e2e.conftest import running
from tests.gateway.test_cli import run_cli
from tests.handlers.orders_support import order_mail
from tests.helpers import GATEWAY_ADDRESS, STAFF, make_config, make_mail

ACCOUNTANT = "cabinet@comptable.test"


@pytest.fixture
def live_books(tmp_path, signing):
    config = make_config(tmp_path / "var", mail={"accountant": ACCOUNTANT},
                         approvals={"manager_threshold": "10000.00"})
    yield from running(config, signing)


def attachments(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_payload(decode=True) for part in message.walk() if part.get_filename()}


def test_the_accountant_gets_the_month_and_corrects_it_by_answering_over_smtp(live_books):
    live = live_books
    config = live.gateway.config
    live.exchange(order_mail(), STAFF, [GATEWAY_ADDRESS]).only("invoice_sent")
    number = f"FA{today_in(config).year}-0001"
    live.exchange(make_mail(sender=STAFF, subject="Paiement", body=f"PAYÉ {number}"), STAFF, [GATEWAY_ADDRESS])

    month = month_text(month_of(today_in(config)))
    result = run_cli(config, "accounting", "send", "--month", month, env={"GATEWAY_MAIL__ACCOUNTANT": ACCOUNTANT})
    assert result.returncode == 0 and "1 courriel(s) écrit(s)" in result.stdout, result.stdout + result.stderr
    with live.gateway.database.sessions() as session:
        row = session.scalar(select(Outbox).where(Outbox.template == "accountant_monthly"))
    monthly = live.delivered(row)
    assert monthly["To"] == ACCOUNTANT
    files = attachments(monthly)
    entries = read_export("fec", files[f"ecritures-{month}-fec.txt"], config.accounting)
    assert unbalanced(entries) == [] and {entry.journal for entry in entries} == {"VT", "BQ"}
    # The order's deposit invoice (paid at the order) and its invoice (PAYÉ) are settled: every client line
    # is lettered, the deposit with its payment, the invoice with its own.
    letterings = [line.lettering for entry in entries for line in entry.lines if line.account == "411"]
    assert all(letterings) and len(set(letterings)) == 2
    with zipfile.ZipFile(io.BytesIO(files[f"pieces-{month}.zip"])) as pieces:
        assert f"ventes/{number}.pdf" in pieces.namelist()

    reply_to = monthly["From"].split("<")[-1].rstrip(">")
    answer = make_mail(sender=ACCOUNTANT, to=reply_to, subject=f"RE: {monthly['Subject']}",
                       body=f"Bonjour,\n\n{number} compte 7061\n\nCordialement,\nLe cabinet\n",
                       extra_headers=f"In-Reply-To: {monthly['Message-ID']}\r\n")
    answered = live.exchange(answer, ACCOUNTANT, [reply_to])
    assert answered.mail.route == "reply", answered.mail.reason
    row, message = answered.only("accountant_corrections")
    assert message["To"] == ACCOUNTANT
    corrected = read_export("fec", attachments(message)[f"ecritures-{month}-fec.txt"], config.accounting)
    assert unbalanced(corrected) == []
    assert any(line.account == "7061" for entry in corrected for line in entry.lines)
