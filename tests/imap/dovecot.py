"""A real Dovecot for the IMAP tests: started from dovecot.conf on a free loopback port, always stopped."""

import grp
import os
import pwd
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import time
from pathlib import Path

from imapclient import IMAPClient

from tests.helpers import free_port

TEMPLATE = Path(__file__).resolve().parent / "dovecot.conf"
# Every IMAP server offers these; the tests leave out MOVE and IDLE to take the fallback paths.
BASIC_CAPABILITIES = "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE UIDPLUS NAMESPACE CHILDREN UNSELECT"


def dovecot_binary() -> str:
    found = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise FileNotFoundError("no dovecot binary (make deps installs dovecot-imapd)")
    return found


class DovecotServer:
    """One Dovecot with one user; `stop()` ends its whole process group, `remove()` its files."""

    user = "gateway"
    password = "imap-test-password"

    def __init__(self, capabilities: str = ""):
        self.binary = dovecot_binary()
        self.port = free_port()
        self.capabilities = capabilities
        # A short path of its own: Dovecot's sockets live under base_dir, and a Unix socket path
        # is limited to 108 bytes, which pytest's tmp_path names can exceed.
        self.root = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self.process: subprocess.Popen | None = None
        try:
            self._write_files()
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def _write_files(self) -> None:
        # Dovecot refuses mail access as root, so under root the mailboxes belong to nobody.
        if os.geteuid() == 0:
            mail_user = pwd.getpwnam("nobody")
            internal_user, internal_group, login_user = "dovecot", "dovecot", "dovenull"
        else:
            mail_user = pwd.getpwuid(os.geteuid())
            internal_user = login_user = mail_user.pw_name
            internal_group = grp.getgrgid(os.getegid()).gr_name
        self.root.chmod(0o755)
        mail = self.root / "mail"
        mail.mkdir()
        os.chown(mail, mail_user.pw_uid, mail_user.pw_gid)
        home = mail / self.user
        (self.root / "passwd").write_text(
            f"{self.user}:{{PLAIN}}{self.password}:{mail_user.pw_uid}:{mail_user.pw_gid}::{home}::\n", encoding="utf-8"
        )
        capability_setting = f"imap_capability = {self.capabilities}" if self.capabilities else ""
        config = string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
            root=self.root,
            port=self.port,
            internal_user=internal_user,
            internal_group=internal_group,
            login_user=login_user,
            first_valid_uid=mail_user.pw_uid,
            capability_setting=capability_setting,
        )
        self.config_path = self.root / "dovecot.conf"
        self.config_path.write_text(config, encoding="utf-8")

    def start(self) -> "DovecotServer":
        output = open(self.root / "stdout.log", "ab")
        # A session of its own, so that stop() can end the master and every child it forked.
        self.process = subprocess.Popen(
            [self.binary, "-F", "-c", str(self.config_path)], stdout=output, stderr=output, start_new_session=True
        )
        output.close()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited with {self.process.returncode}:\n{self.logs()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                    if sock.recv(64).startswith(b"* OK"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dovecot did not greet on port {self.port}:\n{self.logs()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        for signum, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, signum)
            except ProcessLookupError:
                break
            try:
                self.process.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        # The master is gone; children that outlived it are still in its process group.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def logs(self) -> str:
        paths = [self.root / "stdout.log", self.root / "dovecot.log"]
        return "\n".join(path.read_text(errors="replace") for path in paths if path.exists())

    def client(self) -> IMAPClient:
        """A second connection, as a mail client or the MTA would have, to append and inspect."""
        client = IMAPClient("127.0.0.1", self.port, ssl=False, timeout=10)
        client.login(self.user, self.password)
        return client
