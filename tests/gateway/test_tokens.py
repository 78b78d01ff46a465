"""Reply tokens: issued hashed, bound to one object and one person, refused with a reason, spent once."""

import hashlib
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from gateway.addresses import OurAddresses
from gateway.models import Decision, ReplyToken
from gateway.tokens import (
    ALPHABET,
    TokenMatch,
    TokenRefusal,
    issue_token,
    record_decision,
    resolve_token,
    spend_token,
    token_address,
    token_in,
)
from tests.helpers import DOMAIN, STAFF, make_mail, store

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)
OURS = OurAddresses("factures", frozenset({DOMAIN}))


def issue(gateway, recipient=STAFF, purpose="decision", ttl=timedelta(days=30), object_id=12):
    with gateway.database.transaction() as session:
        return issue_token(session, "bill", object_id, recipient, purpose=purpose, ttl=ttl, now=NOW)


def resolve(gateway, token, sender=STAFF, now=NOW):
    with gateway.database.sessions() as session:
        return resolve_token(session, token, sender, now=now)


def spend(gateway, token, mail_id=None, now=NOW):
    with gateway.database.transaction() as session:
        match = resolve_token(session, token, STAFF, now=now)
        return spend_token(session, match.row, mail_id, now=now)


def test_token_is_26_lowercase_base32_characters_and_never_repeats(gateway):
    tokens = {issue(gateway, object_id=n) for n in range(200)}
    assert len(tokens) == 200
    assert all(len(token) == 26 and set(token) <= set(ALPHABET) for token in tokens)


def test_only_the_sha256_of_the_token_is_stored(gateway):
    token = issue(gateway)
    with gateway.database.sessions() as session:
        row = session.scalars(select(ReplyToken)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr([getattr(row, column.key) for column in ReplyToken.__table__.columns])


def test_token_binds_object_recipient_purpose_and_expiry(gateway):
    token = issue(gateway, recipient="Marie Durand <Marie@Exemple.test>", purpose="decision")
    match = resolve(gateway, token)
    assert isinstance(match, TokenMatch)
    assert (match.object_kind, match.object_id, match.purpose) == ("bill", 12, "decision")
    assert match.row.recipient == "marie@exemple.test"
    assert match.row.expires_at.replace(tzinfo=timezone.utc) == NOW + timedelta(days=30)


@pytest.mark.parametrize(
    "sender",
    ["marie@exemple.test", "MARIE@EXEMPLE.TEST", "Marie Durand <Marie@exemple.test>"],
    ids=["same", "uppercase", "display-name"],
)
def test_bound_recipient_is_recognised_whatever_the_case(gateway, sender):
    assert isinstance(resolve(gateway, issue(gateway), sender=sender), TokenMatch)


def test_token_is_read_whatever_its_case(gateway):
    token = issue(gateway)
    assert isinstance(resolve(gateway, f"  {token.upper()} "), TokenMatch)


@pytest.mark.parametrize(
    "token",
    ["a" * 26, "abc", "", "a" * 25 + "1", "a" * 27, "é" * 26],
    ids=["unknown", "short", "empty", "outside-alphabet", "long", "non-ascii"],
)
def test_unknown_or_malformed_token_is_refused_as_unbound(gateway, token):
    issue(gateway)
    refusal = resolve(gateway, token)
    assert isinstance(refusal, TokenRefusal) and refusal.code == "unbound"
    assert "n'est pas reconnu" in refusal.french and "unbound" in refusal.english


def test_token_from_another_sender_is_refused_as_foreign(gateway):
    refusal = resolve(gateway, issue(gateway), sender="paul@exemple.test")
    assert refusal.code == "foreign"
    assert "autre personne" in refusal.french and "marie" not in refusal.french
    assert "marie@exemple.test" in refusal.english and "paul@exemple.test" in refusal.english


def test_expired_token_is_refused_with_its_date_in_paris_time(gateway):
    # 23:30 UTC on 26 December is already 27 December in Paris.
    token = issue(gateway, ttl=timedelta(days=30, hours=13, minutes=30))
    refusal = resolve(gateway, token, now=NOW + timedelta(days=31))
    assert refusal.code == "expired"
    assert refusal.french.startswith("Ce lien de réponse a expiré le 27/12/2026 ;")
    assert "2026-12-26T23:30:00+00:00" in refusal.english


def test_token_expires_exactly_at_its_expiry_time(gateway):
    token = issue(gateway, ttl=timedelta(days=1))
    assert isinstance(resolve(gateway, token, now=NOW + timedelta(days=1) - timedelta(seconds=1)), TokenMatch)
    assert resolve(gateway, token, now=NOW + timedelta(days=1)).code == "expired"


def test_stranger_learns_nothing_about_an_expired_token(gateway):
    refusal = resolve(gateway, issue(gateway), sender="paul@exemple.test", now=NOW + timedelta(days=60))
    assert refusal.code == "foreign"


def test_spent_decision_token_is_refused_with_the_time_of_the_decision(gateway):
    token = issue(gateway)
    mail_id = store(gateway, make_mail()).mail_id
    assert spend(gateway, token, mail_id=mail_id, now=NOW + timedelta(hours=1)) is True
    refusal = resolve(gateway, token, now=NOW + timedelta(hours=2))
    assert refusal.code == "spent"
    assert "26/11/2026 à 12:00" in refusal.french
    assert f"by mail {mail_id}" in refusal.english


def test_token_of_a_conversation_that_goes_on_may_be_answered_again(gateway):
    token = issue(gateway, purpose="correction")
    assert spend(gateway, token) is True
    assert isinstance(resolve(gateway, token), TokenMatch)


def test_token_is_spent_once_and_remembers_the_mail(gateway):
    token = issue(gateway)
    mail_id = store(gateway, make_mail()).mail_id
    with gateway.database.transaction() as session:
        match = resolve_token(session, token, STAFF, now=NOW)
        assert spend_token(session, match.row, mail_id, now=NOW) is True
        assert match.row.used_by_mail_id == mail_id
        assert spend_token(session, match.row, mail_id, now=NOW) is False


def test_expired_token_cannot_be_spent(gateway):
    token = issue(gateway, ttl=timedelta(days=1))
    with gateway.database.transaction() as session:
        row = resolve_token(session, token, STAFF, now=NOW).row
        assert spend_token(session, row, None, now=NOW + timedelta(days=2)) is False


def test_concurrent_spends_of_one_token_succeed_once(any_db_gateway):
    gateway = any_db_gateway
    for attempt in range(3):
        token = issue(gateway, object_id=attempt)
        with gateway.database.sessions() as session:
            row = resolve_token(session, token, STAFF, now=NOW).row
        barrier = threading.Barrier(4)
        results = []

        def race(row=row, barrier=barrier, results=results):
            barrier.wait()
            with gateway.database.transaction() as session:
                results.append(spend_token(session, row, None, now=NOW))

        threads = [threading.Thread(target=race) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(results) == [False, False, False, True]


def test_second_session_waits_for_the_first_and_then_finds_the_token_spent(any_db_gateway):
    gateway = any_db_gateway
    token = issue(gateway)
    results = {}
    with gateway.database.transaction() as first:
        row = resolve_token(first, token, STAFF, now=NOW).row
        results["first"] = spend_token(first, row, None, now=NOW)

        def second():
            with gateway.database.transaction() as session:
                results["second"] = spend_token(session, row, None, now=NOW)

        thread = threading.Thread(target=second)
        thread.start()
        # The second spend must wait for this transaction, not read the row as it was before.
        time.sleep(0.3)
        assert "second" not in results
    thread.join(timeout=30)
    assert results == {"first": True, "second": False}


def test_decision_is_recorded_with_actor_authentication_and_message_id(any_db_gateway):
    gateway = any_db_gateway
    mail_id = store(gateway, make_mail(message_id="<ok-1@exemple.test>")).mail_id
    with gateway.database.transaction() as session:
        record_decision(session, "bill", 12, "approve", "Marie <Marie@Exemple.test>", "staff",
                        "pass", "exemple.test", "<ok-1@exemple.test>", mail_id, now=NOW)
    with gateway.database.sessions() as session:
        decision = session.scalars(select(Decision)).one()
    assert (decision.object_kind, decision.object_id, decision.verdict) == ("bill", 12, "approve")
    assert (decision.actor, decision.role) == ("marie@exemple.test", "staff")
    assert (decision.auth_verdict, decision.auth_domain) == ("pass", "exemple.test")
    assert (decision.message_id, decision.mail_id) == ("<ok-1@exemple.test>", mail_id)
    decided_at = decision.decided_at if decision.decided_at.tzinfo else decision.decided_at.replace(tzinfo=timezone.utc)
    assert decided_at == NOW


def test_token_address_round_trips_through_our_addresses():
    token = "abcdefghijklmnopqrstuvwx23"
    address = token_address("factures", DOMAIN, token)
    assert address == f"factures+{token}@{DOMAIN}"
    assert OURS.token_of(address) == token


@pytest.mark.parametrize(
    ("addresses", "expected"),
    [
        ([f"factures+abcdefghijklmnopqrstuvwx23@{DOMAIN}"], "abcdefghijklmnopqrstuvwx23"),
        ([f"Factures <FACTURES+ABCDEFGHIJKLMNOPQRSTUVWX23@{DOMAIN.upper()}>"], "abcdefghijklmnopqrstuvwx23"),
        ([f"factures@{DOMAIN}", f"factures+abcdefghijklmnopqrstuvwx23@{DOMAIN}"], "abcdefghijklmnopqrstuvwx23"),
        (["factures+abcdefghijklmnopqrstuvwx23@autre.test"], None),
        ([f"compta+abcdefghijklmnopqrstuvwx23@{DOMAIN}"], None),
        ([f"factures@{DOMAIN}"], None),
    ],
    ids=["plain", "display-name-uppercase", "second-address", "other-domain", "other-local-part", "no-token"],
)
def test_token_is_found_only_in_our_token_addresses(addresses, expected):
    assert token_in(addresses, OURS) == expected
