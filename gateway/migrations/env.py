"""Alembic environment: runs on the connection the gateway hands over."""

from alembic import context

# The invoicing tables live beside the package that uses them; importing it registers them.
import invoicing.models  # noqa: F401
import clients.models  # noqa: F401
import ordering.models  # noqa: F401
import accounting.models  # noqa: F401
import bills.models  # noqa: F401
import receivables.models  # noqa: F401
from gateway.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
