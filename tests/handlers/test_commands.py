"""STATUT and AIDE written to the gateway: answered to trusted staff, each with their own view."""

from tests.helpers import deliver, make_mail


def test_statut_answers_staff_with_their_own_mails(gateway):
    deliver(gateway, make_mail(subject="Facture"))
    deliver(gateway, make_mail(sender="paul@exemple.test", subject="Autre"))
    mail, outbox = deliver(gateway, make_mail(subject="Question", body="STATUT\n"))
    assert (mail.status, mail.route) == ("processed", "command")
    [reply] = outbox
    assert "pour vos messages" in reply.body_text
    # Marie's earlier mail and this one; Paul's mail is not hers to see.
    assert "- 1 traités" in reply.body_text and "- 1 en cours" in reply.body_text


def test_statut_from_the_manager_covers_everyone(gateway):
    deliver(gateway, make_mail(subject="Facture"))
    deliver(gateway, make_mail(sender="paul@exemple.test", subject="Autre"))
    _, [reply] = deliver(gateway, make_mail(sender="direction@exemple.test", subject="statut", body=""))
    assert "pour toute l'entreprise" in reply.body_text
    assert "- 2 traités" in reply.body_text


def test_aide_in_the_body_gets_the_help_reply(gateway):
    mail, [reply] = deliver(gateway, make_mail(subject="?", body="Aide\n\nCordialement,\nMarie\n"))
    assert mail.route == "command"
    assert reply.template == "help_reply"
    assert "ne sait pas encore" not in reply.body_text


def test_a_mail_that_only_mentions_statut_later_is_not_a_command(gateway):
    mail, _ = deliver(gateway, make_mail(subject="TR: facture", body="Bonjour,\nquel est le statut de cette facture ?\n"))
    assert mail.route == "bill"


def test_statut_from_a_stranger_is_never_answered(gateway):
    mail, outbox = deliver(gateway, make_mail(sender="x@gmail.com", body="STATUT\n"), envelope_from="x@gmail.com")
    assert mail.status == "ignored" and outbox == []
