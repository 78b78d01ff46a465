"""The routing table, read as the user guide: which mail goes to which conversation, and why."""

import pytest

from gateway.config import Parsing
from gateway.parsing import parse_mail
from gateway.routing import ROUTES, Facts, pick_route
from tests.helpers import GATEWAY_ADDRESS, STAFF, make_config, make_mail


def route_of(raw: bytes, config, envelope_to=(GATEWAY_ADDRESS,), envelope_from=STAFF, trusted=True, answers=False):
    parsed = parse_mail(raw, envelope_from, list(envelope_to), Parsing())
    facts = Facts(mail=parsed, trusted=trusted, trust_detail="test", answers_our_mail=answers,
                  config=config, loop_marker=GATEWAY_ADDRESS)
    route, reason = pick_route(facts)
    return route.name, reason


@pytest.fixture
def config(tmp_path):
    return make_config(tmp_path)


@pytest.mark.parametrize(
    ("raw", "envelope_to", "expected"),
    [
        (make_mail(), [GATEWAY_ADDRESS], "bill"),
        (make_mail(to="client@acme.fr", extra_headers=f"Cc: {GATEWAY_ADDRESS}\r\n"), [GATEWAY_ADDRESS], "order"),
        (make_mail(to="client@acme.fr"), [GATEWAY_ADDRESS], "order"),
        (make_mail(to="factures+abcdefghijklmnopqrstuvwxyz@exemple.test"), ["factures+abcdefghijklmnopqrstuvwxyz@exemple.test"], "reply"),
        (make_mail(body="AIDE\r\n"), [GATEWAY_ADDRESS], "command"),
        (make_mail(subject="aide", body=""), [GATEWAY_ADDRESS], "command"),
        (make_mail(to="postmaster@exemple.test"), ["postmaster@exemple.test"], "help"),
    ],
    ids=["forward-in-to", "cc", "bcc", "token", "command-in-body", "command-in-subject", "postmaster"],
)
def test_trusted_staff_mail_is_routed_to_its_conversation(config, raw, envelope_to, expected):
    assert route_of(raw, config, envelope_to=envelope_to)[0] == expected


def test_bounce_goes_first_even_from_staff(config):
    raw = make_mail(subject="Undelivered Mail Returned to Sender")
    name, reason = route_of(raw, config, envelope_from="")
    assert name == "automated" and reason.startswith("bounce:")


def test_mailing_list_is_ignored(config):
    name, reason = route_of(make_mail(extra_headers="List-Id: <compta.lists.exemple.test>\r\n"), config)
    assert name == "automated" and reason.startswith("mailing_list:")


def test_client_answer_comes_before_the_unknown_sender_rule(config):
    raw = make_mail(sender="client@acme.fr")
    assert route_of(raw, config, envelope_from="client@acme.fr", trusted=False, answers=True)[0] == "client_answer"
    assert route_of(raw, config, envelope_from="client@acme.fr", trusted=False, answers=False)[0] == "untrusted"


def test_staff_answering_our_mail_is_not_a_client_answer(config):
    assert route_of(make_mail(), config, answers=True)[0] == "bill"


def test_trusted_stranger_is_an_unknown_sender(config):
    name, reason = route_of(make_mail(sender="x@gmail.com"), config, envelope_from="x@gmail.com")
    assert name == "unknown_sender" and "x@gmail.com" in reason


def test_manager_and_accountant_are_known_senders(config):
    assert route_of(make_mail(sender=config.mail.manager), config)[0] == "bill"


def test_table_ends_with_a_catch_all():
    assert ROUTES[-1].name == "help"
    assert ROUTES[0].name == "automated"


def test_demo_pattern_makes_any_trusted_sender_staff(config):
    from dataclasses import replace

    demo = replace(config, mail=replace(config.mail, staff=["*@exemple.test", "*@*"]))
    assert route_of(make_mail(sender="root@machine"), demo, envelope_from="root@machine")[0] == "bill"
    # Trust still decides: the same sender from an untrusted peer is ignored.
    assert route_of(make_mail(sender="root@machine"), demo, envelope_from="root@machine", trusted=False)[0] == "untrusted"
