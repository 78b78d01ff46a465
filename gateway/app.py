"""The gateway of one process: its configuration, database and templates, opened once."""

from dataclasses import dataclass

from gateway.config import Config
from gateway.db import Database
from gateway.templating import EmailTemplates


@dataclass
class Gateway:
    config: Config
    database: Database
    templates: EmailTemplates
    # The DNS resolver for sender authentication; None means the system's (tests serve their own).
    resolver: object | None = None

    @property
    def loop_marker(self) -> str:
        """The value of our loop header: the gateway's first address names this installation."""
        addresses = self.config.gateway_addresses
        return addresses[0] if addresses else self.config.mail.address

    def close(self) -> None:
        self.database.dispose()


def open_gateway(config: Config, migrate: bool = True) -> Gateway:
    database = Database(config.database_url, config.storage.busy_timeout_ms)
    if migrate:
        database.migrate()
    return Gateway(config=config, database=database, templates=EmailTemplates(config.mail.language))
