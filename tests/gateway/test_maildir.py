"""The Maildir transport writes each message exactly once."""

from gateway.maildir import write_once


def test_message_lands_in_new_and_tmp_is_left_empty(tmp_path):
    path = write_once(tmp_path, "1.outbox1.invoice-gateway", b"Subject: x\r\n\r\nbody\r\n")
    assert path == tmp_path / "new" / "1.outbox1.invoice-gateway"
    assert path.read_bytes().startswith(b"Subject: x")
    assert list((tmp_path / "tmp").iterdir()) == []


def test_second_write_under_the_same_name_adds_nothing(tmp_path):
    write_once(tmp_path, "1.outbox1.invoice-gateway", b"first")
    write_once(tmp_path, "1.outbox1.invoice-gateway", b"second")
    assert [p.name for p in (tmp_path / "new").iterdir()] == ["1.outbox1.invoice-gateway"]
    assert (tmp_path / "new" / "1.outbox1.invoice-gateway").read_bytes() == b"first"


def test_message_already_read_and_moved_to_cur_is_not_written_again(tmp_path):
    write_once(tmp_path, "1.outbox1.invoice-gateway", b"first")
    (tmp_path / "new" / "1.outbox1.invoice-gateway").rename(tmp_path / "cur" / "1.outbox1.invoice-gateway:2,S")
    write_once(tmp_path, "1.outbox1.invoice-gateway", b"again")
    assert list((tmp_path / "new").iterdir()) == []
