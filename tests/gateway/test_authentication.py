"""Sender authentication: DKIM, SPF, DMARC alignment and upstream results, offline, then over SMTP."""

import base64
from email.parser import BytesHeaderParser

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from gateway.app import open_gateway
from gateway.authentication import authenticate, author_domain, trusted_sender
from gateway.config import Auth, ConfigError, load_config
from gateway.dmarc import aligned, find_policy, organizational_domain, parse_record
from gateway.models import Mail, Outbox
from gateway.processing import process_mail
from gateway.resolver import DnsError, Resolver, StaticResolver
from gateway.status import mail_details
from gateway.trust import peer_host
from tests.helpers import EMAILS, GATEWAY_ADDRESS, STAFF, make_config, make_mail, store

SIGNED_HEADERS = [b"from", b"to", b"subject", b"date", b"message-id"]
OUTSIDE = "203.0.113.9"  # an SMTP client on no trusted network
UPSTREAM = Auth(upstream_authserv_id="mx.entreprise.fr", upstream_networks=["192.0.2.0/24"])


@pytest.fixture(scope="session")
def key():
    """A throw-away RSA key: the private half signs, the public half is served as the DKIM record."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    public = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem, f"v=DKIM1; k=rsa; p={base64.b64encode(public).decode()}"


def sign(raw: bytes, key, domain: str = "exemple.test", selector: str = "s1", **options) -> bytes:
    return dkim.sign(raw, selector.encode(), domain.encode(), key[0], include_headers=SIGNED_HEADERS, **options) + raw


def dns(key, *extra, dmarc: str = "v=DMARC1; p=reject", broken=()) -> StaticResolver:
    """The DNS of exemple.test (key s1, DMARC p=reject) and of other.example (key s1), plus extras."""
    records = {
        ("s1._domainkey.exemple.test", "TXT"): [key[1]],
        ("s1._domainkey.mail.exemple.test", "TXT"): [key[1]],
        ("s1._domainkey.other.example", "TXT"): [key[1]],
        ("_dmarc.exemple.test", "TXT"): [dmarc],
    }
    records.update(dict(extra))
    return StaticResolver(records, broken=broken)


def check(raw: bytes, resolver, envelope_from=STAFF, peer=OUTSIDE, auth=None, helo="smtp.exemple.test"):
    return authenticate(raw, envelope_from, peer, helo, auth or Auth(), resolver)


# Pure helpers.


@pytest.mark.parametrize(
    ("domain", "organization"),
    [
        ("exemple.test", "exemple.test"),
        ("mail.exemple.test", "exemple.test"),
        ("a.b.entreprise.fr", "entreprise.fr"),
        ("shop.example.co.uk", "example.co.uk"),
        ("gouv.fr", "gouv.fr"),
        ("EXEMPLE.TEST.", "exemple.test"),
    ],
)
def test_organizational_domain_comes_from_the_bundled_public_suffix_list(domain, organization):
    assert organizational_domain(domain) == organization


@pytest.mark.parametrize(
    ("identifier", "author", "strict", "expected"),
    [
        ("exemple.test", "exemple.test", False, True),
        ("mail.exemple.test", "exemple.test", False, True),
        ("exemple.test", "news.exemple.test", False, True),
        ("mail.exemple.test", "exemple.test", True, False),
        ("other.example", "exemple.test", False, False),
        ("a.co.uk", "b.co.uk", False, False),
        ("", "exemple.test", False, False),
    ],
)
def test_alignment_is_same_organization_or_same_domain_when_strict(identifier, author, strict, expected):
    assert aligned(identifier, author, strict) is expected


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("v=DMARC1; p=reject", {"p": "reject"}),
        ("v = DMARC1 ; p=none; adkim=s", {"p": "none", "adkim": "s"}),
        ("p=reject; v=DMARC1", None),
        ("v=spf1 -all", None),
    ],
)
def test_dmarc_record_needs_its_version_first(text, tags):
    assert parse_record(text) == tags


@pytest.mark.parametrize(
    ("peer", "host"),
    [("203.0.113.9:40000", "203.0.113.9"), ("[2001:db8::1]:25", "2001:db8::1"), ("", ""), ("::1", "::1")],
)
def test_peer_host_reads_stored_peers(peer, host):
    assert peer_host(peer) == host


@pytest.mark.parametrize(
    ("headers", "domain", "problem"),
    [
        ("From: Marie <marie@Exemple.Test>\r\n", "exemple.test", ""),
        ("From: marie@exemple.test\r\nFrom: boss@exemple.test\r\n", "", "2 From headers"),
        ("From: marie@exemple.test, boss@other.example\r\n", "", "From holds 2 addresses"),
        ("To: factures@exemple.test\r\n", "", "no From header"),
        ("From: Marie\r\n", "", "From address 'Marie' has no valid domain"),
        ("From: undisclosed-recipients:;\r\n", "", "From holds 0 addresses"),
    ],
)
def test_author_is_the_one_address_of_the_one_from_header(headers, domain, problem):
    found, reason = author_domain(BytesHeaderParser().parsebytes(f"{headers}\r\nbody".encode()))
    assert found == domain
    assert reason.startswith(problem) if problem else reason == ""


@pytest.mark.parametrize(
    ("verdict", "domain", "sender", "trusted"),
    [
        ("pass", "", "anyone@anywhere.example", True),  # a trusted network
        ("pass", "exemple.test", "marie@exemple.test", True),
        ("pass", "exemple.test", "marie@other.example", False),
        ("fail", "", "marie@exemple.test", False),
        ("none", "", "marie@exemple.test", False),
    ],
)
def test_a_pass_vouches_only_for_senders_of_its_domain(verdict, domain, sender, trusted):
    assert trusted_sender(verdict, domain, "detail", sender)[0] is trusted



@pytest.mark.parametrize(
    ("author", "records", "described"),
    [
        ("exemple.test", {"_dmarc.exemple.test": ["v=DMARC1; p=reject"]}, "DMARC policy p=reject for exemple.test"),
        ("news.exemple.test", {"_dmarc.exemple.test": ["v=DMARC1; p=reject; sp=quarantine"]},
         "DMARC policy p=quarantine for news.exemple.test"),
        ("exemple.test", {"_dmarc.exemple.test": ["v=DMARC1; p=none", "v=DMARC1; p=reject"]},
         "no DMARC policy for exemple.test"),
        ("exemple.test", {"_dmarc.exemple.test": ["google-site-verification=x"]}, "no DMARC policy for exemple.test"),
    ],
)
def test_dmarc_policy_falls_back_to_the_organizational_domain(author, records, described):
    resolver = StaticResolver({(name, "TXT"): values for name, values in records.items()})
    assert find_policy(author, resolver).describe() == described


def test_system_resolver_turns_an_unreachable_server_into_a_dns_error():
    # Nothing answers DNS on this loopback address: the look-up times out within the limit.
    with pytest.raises(DnsError, match="exemple.test TXT"):
        Resolver(timeout=0.3, nameservers=["127.0.0.1"]).txt("exemple.test")

# DKIM, SPF and DMARC.


def test_valid_signature_passes_with_the_from_domain(key):
    verdict = check(sign(make_mail(), key), dns(key))
    assert (verdict.verdict, verdict.domain) == ("pass", "exemple.test")
    assert verdict.detail == "dkim pass d=exemple.test, aligned with From exemple.test"


def test_altered_body_fails_naming_the_body_hash(key):
    raw = sign(make_mail(body="Bonjour,\n\nNON\n"), key).replace(b"NON", b"OK ")
    verdict = check(raw, dns(key))
    assert verdict.verdict == "fail" and verdict.domain == ""
    assert "dkim: body hash did not verify (d=exemple.test)" in verdict.detail


def test_altered_signed_header_fails(key):
    raw = sign(make_mail(subject="NON"), key).replace(b"Subject: NON", b"Subject: OK ")
    assert "dkim: signature did not verify (d=exemple.test)" in check(raw, dns(key)).detail


def test_valid_signature_of_another_domain_is_not_aligned(key):
    verdict = check(sign(make_mail(), key, domain="other.example"), dns(key))
    assert verdict.verdict == "fail"
    assert "dkim d=other.example not aligned with From exemple.test" in verdict.detail


def test_subdomain_signature_is_aligned_unless_the_domain_asks_strict(key):
    raw = sign(make_mail(), key, domain="mail.exemple.test")
    assert check(raw, dns(key)).verdict == "pass"
    strict = check(raw, dns(key, dmarc="v=DMARC1; p=reject; adkim=s"))
    assert strict.verdict == "fail" and "dkim d=mail.exemple.test not aligned" in strict.detail


def test_one_good_signature_among_several_is_enough(key):
    raw = sign(sign(make_mail(), key), key, domain="other.example")
    verdict = check(raw, dns(key))
    assert (verdict.verdict, verdict.domain) == ("pass", "exemple.test")


def test_unsigned_mail_from_a_reject_domain_fails_naming_the_policy(key):
    verdict = check(make_mail(), dns(key))
    assert verdict.verdict == "fail"
    assert verdict.detail == (
        f"no DKIM signature; spf=none for exemple.test (peer {OUTSIDE}); DMARC policy p=reject for exemple.test"
    )


def test_unsigned_mail_with_an_unaligned_envelope_says_spf_is_not_aligned(key):
    verdict = check(make_mail(), dns(key), envelope_from="bounces@other.example")
    assert verdict.detail.startswith("no DKIM signature; SPF not aligned (envelope domain other.example)")


def test_spf_pass_for_the_aligned_envelope_domain_passes(key):
    resolver = dns(key, (("exemple.test", "TXT"), ["v=spf1 ip4:203.0.113.0/24 -all"]))
    verdict = check(make_mail(), resolver)
    assert (verdict.verdict, verdict.domain) == ("pass", "exemple.test")
    assert verdict.detail.startswith(f"spf pass for exemple.test (peer {OUTSIDE})")


def test_spf_follows_includes_and_mx_through_the_same_resolver(key):
    resolver = dns(
        key,
        (("exemple.test", "TXT"), ["v=spf1 include:_spf.provider.example -all"]),
        (("_spf.provider.example", "TXT"), ["v=spf1 mx:provider.example ~all"]),
        (("provider.example", "MX"), ["10 out.provider.example"]),
        (("out.provider.example", "A"), [OUTSIDE]),
    )
    assert check(make_mail(), resolver).verdict == "pass"
    assert check(make_mail(), resolver, peer="198.51.100.1").detail.startswith("no DKIM signature; spf=fail")


def test_spf_pass_for_another_domain_does_not_authenticate_the_from(key):
    resolver = dns(key, (("other.example", "TXT"), ["v=spf1 +all"]))
    assert check(make_mail(), resolver, envelope_from="x@other.example").verdict == "fail"


def test_mail_fetched_over_imap_has_no_spf_to_check(key):
    verdict = check(make_mail(), dns(key), envelope_from=None, peer=None)
    assert verdict.verdict == "fail" and "no SPF check: not received over SMTP" in verdict.detail
    assert check(sign(make_mail(), key), dns(key), envelope_from=None, peer=None).verdict == "pass"


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ("From: boss@exemple.test\r\n", "2 From headers"),
        ("Cc: x@exemple.test\r\n", ""),
    ],
)
def test_an_added_from_header_fails_an_added_unsigned_cc_does_not(key, extra, reason):
    raw = sign(make_mail(), key)
    end = raw.index(b"\r\n\r\n") + 2
    verdict = check(raw[:end] + extra.encode() + raw[end:], dns(key))
    assert verdict.verdict == ("fail" if reason else "pass")
    assert verdict.detail.startswith(reason)


def test_signature_with_a_body_length_limit_is_refused(key):
    verdict = check(sign(make_mail(), key, length=True), dns(key))
    assert verdict.verdict == "fail" and "l= leaves part of the body unsigned" in verdict.detail


def test_signature_whose_key_is_not_published_fails(key):
    verdict = check(sign(make_mail(), key, selector="gone"), dns(key))
    assert "dkim: no key published at gone._domainkey.exemple.test" in verdict.detail


def test_dns_failure_gives_none_with_the_reason_never_an_exception(key):
    verdict = check(sign(make_mail(), key), dns(key, broken=["s1._domainkey.exemple.test"]))
    assert verdict.verdict == "none"
    assert "dkim: DNS error looking up s1._domainkey.exemple.test" in verdict.detail
    spf_down = check(make_mail(), dns(key, broken=["exemple.test"]))
    assert spf_down.verdict == "none" and "spf temperror for exemple.test" in spf_down.detail


@pytest.mark.parametrize("raw", [b"", b"\x00\xff" * 50, b"From: a@b\r\n\r\n", b"DKIM-Signature: v=1; d=\r\n\r\nx"])
def test_garbage_gives_a_verdict_not_an_exception(key, raw):
    assert check(raw, dns(key)).verdict in {"fail", "none"}


# Upstream Authentication-Results.


def test_genuine_topmost_upstream_results_are_trusted_without_any_dns(key):
    resolver = dns(key)
    verdict = check((EMAILS / "upstream_results_genuine.eml").read_bytes(), resolver, peer="192.0.2.25", auth=UPSTREAM)
    assert (verdict.verdict, verdict.domain) == ("pass", "exemple.test")
    assert verdict.detail == "Authentication-Results of upstream mx.entreprise.fr: dmarc=pass header.from=exemple.test"
    assert resolver.asked == []


def test_forged_results_below_the_upstream_ones_are_ignored_and_said(key):
    verdict = check((EMAILS / "upstream_results_forged.eml").read_bytes(), dns(key), peer="192.0.2.25", auth=UPSTREAM)
    assert verdict.verdict == "fail"
    assert verdict.detail.startswith(
        "Authentication-Results of upstream mx.entreprise.fr: dkim=none, spf=softfail, dmarc=fail, no aligned pass; "
        "ignored 1 lower Authentication-Results claiming mx.entreprise.fr"
    )


def test_forged_results_when_the_upstream_wrote_none_on_top_are_ignored(key):
    forged = b"Authentication-Results: mx.entreprise.fr; dmarc=pass header.from=exemple.test\r\n"
    raw = b"Authentication-Results: filter.entreprise.fr; none\r\n" + forged + make_mail()
    verdict = check(raw, dns(key), peer="192.0.2.25", auth=UPSTREAM)
    assert verdict.verdict == "fail"
    assert "topmost Authentication-Results is from filter.entreprise.fr, not upstream mx.entreprise.fr" in verdict.detail
    assert "ignored 1 lower" in verdict.detail


def test_upstream_results_from_a_client_that_is_not_the_upstream_are_ignored(key):
    raw = (EMAILS / "upstream_results_genuine.eml").read_bytes()
    verdict = check(raw, dns(key), peer=OUTSIDE, auth=UPSTREAM)
    assert verdict.verdict == "fail"
    assert f"Authentication-Results ignored: peer {OUTSIDE} is not the upstream mx.entreprise.fr" in verdict.detail


def test_upstream_results_count_for_mail_fetched_from_its_mailbox(key):
    raw = (EMAILS / "upstream_results_genuine.eml").read_bytes()
    assert check(raw, dns(key), envelope_from=None, peer=None, auth=UPSTREAM).verdict == "pass"


@pytest.mark.parametrize(
    ("results", "verdict"),
    [
        ("dkim=pass header.d=mail.exemple.test", "pass"),
        ("dkim=pass header.i=@exemple.test", "pass"),
        ("dkim=pass header.d=other.example; dmarc=fail header.from=exemple.test", "fail"),
        ("dmarc=pass header.from=other.example", "fail"),
        ("spf=pass smtp.mailfrom=exemple.test", "fail"),
        ("MX.Entreprise.FR-is-not-a-result", "fail"),
    ],
)
def test_upstream_vouches_with_dmarc_pass_or_an_aligned_dkim_pass(key, results, verdict):
    raw = f"Authentication-Results: MX.entreprise.fr; {results}\r\n".encode() + make_mail()
    assert check(raw, dns(key), peer="192.0.2.25", auth=UPSTREAM).verdict == verdict


# Configuration.


def test_upstream_keys_are_read_from_the_environment_and_checked():
    config = load_config(environ={
        "GATEWAY_AUTH__UPSTREAM_AUTHSERV_ID": "mx.entreprise.fr",
        "GATEWAY_AUTH__UPSTREAM_NETWORKS": '["192.0.2.0/24"]',
    })
    assert (config.auth.upstream_authserv_id, config.auth.upstream_networks) == ("mx.entreprise.fr", ["192.0.2.0/24"])
    for name, value, key in [
        ("GATEWAY_AUTH__UPSTREAM_AUTHSERV_ID", "mx; dmarc=pass", "auth.upstream_authserv_id"),
        ("GATEWAY_AUTH__UPSTREAM_NETWORKS", '["mx.entreprise.fr"]', "auth.upstream_networks"),
        ("GATEWAY_AUTH__NAMESERVERS", '["dns.example"]', "auth.nameservers"),
        ("GATEWAY_AUTH__DNS_TIMEOUT", "0", "auth.dns_timeout"),
    ]:
        with pytest.raises(ConfigError, match=key):
            load_config(environ={name: value})


# Through processing, and end to end over SMTP.


@pytest.fixture
def outside_gateway(tmp_path, database_url, key):
    """A gateway that trusts no network (loopback included), answering DNS from the test's records."""
    opened = open_gateway(make_config(tmp_path / "var", database_url, auth={"trusted_networks": []}))
    opened.resolver = dns(key)
    yield opened
    opened.close()


def rows(gateway, mail_id: int) -> tuple[Mail, list[Outbox]]:
    with gateway.database.sessions() as session:
        mail = session.get(Mail, mail_id)
        return mail, list(session.scalars(select(Outbox).where(Outbox.mail_id == mail_id)))


def test_signed_staff_mail_over_smtp_is_answered_and_its_forgery_ignored(outside_gateway, key):
    from tests.gateway.test_smtp import RunningServer

    gateway = outside_gateway
    signed = sign(make_mail(subject="Facture 2026-114", body="Bonjour,\n\nNON\n"), key)
    forged = signed.replace(b"NON", b"OK ").replace(b"Message-ID: <", b"Message-ID: <forged-")
    server = RunningServer(gateway)
    try:
        with server.client() as client:
            client.sendmail(STAFF, [GATEWAY_ADDRESS], signed)
            client.sendmail(STAFF, [GATEWAY_ADDRESS], forged)
    finally:
        server.stop()
    genuine_id, forged_id = server.stored
    assert process_mail(gateway, genuine_id)
    mail, outbox = rows(gateway, genuine_id)
    assert mail.peer.startswith("127.0.0.1:")
    assert (mail.status, mail.route, mail.auth_verdict, mail.auth_domain) == ("processed", "bill", "pass", "exemple.test")
    assert len(outbox) == 1 and outbox[0].recipients == [STAFF]
    assert process_mail(gateway, forged_id) == []
    mail, outbox = rows(gateway, forged_id)
    assert (mail.status, mail.route, mail.auth_verdict) == ("ignored", "untrusted", "fail")
    assert "dkim: body hash did not verify (d=exemple.test)" in mail.reason
    assert outbox == []
    assert mail_details(gateway, genuine_id)["auth"] == {
        "verdict": "pass",
        "detail": "dkim pass d=exemple.test, aligned with From exemple.test",
        "domain": "exemple.test",
    }
    assert mail_details(gateway, forged_id)["auth"]["detail"].startswith("dkim: body hash did not verify")


def test_pass_from_a_trusted_network_is_kept_without_any_dns(gateway, key):
    gateway.resolver = dns(key)
    mail_id = store(gateway, make_mail()).mail_id
    process_mail(gateway, mail_id)
    mail, outbox = rows(gateway, mail_id)
    assert (mail.auth_verdict, mail.route, len(outbox)) == ("pass", "bill", 1)
    assert "trusted network" in mail.auth_detail and gateway.resolver.asked == []


def test_replay_authenticates_again_after_a_dns_failure(outside_gateway, key):
    from gateway.processing import reset_for_replay
    from tests.helpers import UNTRUSTED

    gateway = outside_gateway
    gateway.resolver = dns(key, broken=["s1._domainkey.exemple.test"])
    mail_id = store(gateway, sign(make_mail(), key), trust=UNTRUSTED).mail_id
    process_mail(gateway, mail_id)
    mail, _ = rows(gateway, mail_id)
    assert (mail.status, mail.auth_verdict) == ("ignored", "none")
    assert "DNS error" in mail.reason
    gateway.resolver = dns(key)
    reset_for_replay(gateway, mail_id)
    process_mail(gateway, mail_id)
    mail, outbox = rows(gateway, mail_id)
    assert (mail.status, mail.auth_verdict, len(outbox)) == ("processed", "pass", 1)

