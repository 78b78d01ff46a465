"""invoicing: number counters, issued documents, hash-chained archive

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# The hash the first archive link chains to.
GENESIS_HASH = '0' * 64
# What an issued row fixes for ever; status, transmission and rendering columns still move.
FIXED_COLUMNS = (
    'number', 'kind', 'series', 'seq', 'issue_date', 'buyer_name', 'buyer_email', 'currency',
    'total_excl_tax', 'total_tax', 'total_incl_tax', 'amount_due', 'corrects_number', 'document',
)
REFUSAL = 'issued documents and archive links are never edited or deleted (a credit note corrects an invoice)'


def upgrade() -> None:
    op.create_table('invoice_counters',
    sa.Column('series', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_issue_date', sa.Date(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('series')
    )
    op.create_table('invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('series', sa.String(length=128), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('buyer_name', sa.String(length=998), nullable=False),
    sa.Column('buyer_email', sa.String(length=998), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('total_excl_tax', sa.String(length=32), nullable=False),
    sa.Column('total_tax', sa.String(length=32), nullable=False),
    sa.Column('total_incl_tax', sa.String(length=32), nullable=False),
    sa.Column('amount_due', sa.String(length=32), nullable=False),
    sa.Column('corrects_number', sa.String(length=64), nullable=True),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('transmission', sa.String(length=16), nullable=False),
    sa.Column('transmission_status', sa.String(length=16), nullable=False),
    sa.Column('transmitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf_path', sa.Text(), nullable=False),
    sa.Column('render_attempts', sa.Integer(), nullable=False),
    sa.Column('render_error', sa.Text(), nullable=False),
    sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index('ix_invoices_status', ['status'], unique=False)
        batch_op.create_index('ix_invoices_corrects', ['corrects_number'], unique=False)

    op.create_table('archive_entries',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('event', sa.String(length=16), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('previous_hash', sa.String(length=64), nullable=False),
    sa.Column('chain_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('number', 'event', name='uq_archive_entries_number_event')
    )
    head = op.create_table('archive_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    # The single head row exists from the start, so appending only ever locks and updates it.
    op.bulk_insert(head, [{'id': 1, 'last_seq': 0, 'last_hash': GENESIS_HASH}])
    if op.get_bind().dialect.name == 'postgresql':
        _postgres_guards()
    else:
        _sqlite_guards()


def _changed(old: str, new: str, operator: str) -> str:
    # A stored PDF is fixed too, once there is one.
    columns = [f'{new}.{name} {operator} {old}.{name}' for name in FIXED_COLUMNS]
    columns.append(f'({old}.pdf IS NOT NULL AND {new}.pdf {operator} {old}.pdf)')
    return ' OR '.join(columns)


def _postgres_guards() -> None:
    # The database itself refuses to change or delete what was issued: the application never
    # tries, and anyone else must now disable triggers first (and `archive verify` still sees it).
    op.execute(f"""
        CREATE FUNCTION invoicing_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$""")
    op.execute(f"""
        CREATE FUNCTION invoicing_guard_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF {_changed('OLD', 'NEW', 'IS DISTINCT FROM')} THEN RAISE EXCEPTION '{REFUSAL}'; END IF;
            RETURN NEW;
        END $$""")
    op.execute('CREATE TRIGGER invoices_fixed BEFORE UPDATE ON invoices FOR EACH ROW EXECUTE FUNCTION invoicing_guard_invoice()')
    for table in ('invoices', 'archive_entries'):
        event = 'DELETE' if table == 'invoices' else 'UPDATE OR DELETE'
        op.execute(f'CREATE TRIGGER {table}_kept BEFORE {event} ON {table} FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_change()')


def _sqlite_guards() -> None:
    # A later batch migration of these tables (table copy on SQLite) must create these again.
    op.execute(f"""
        CREATE TRIGGER invoices_fixed BEFORE UPDATE ON invoices
        WHEN {_changed('OLD', 'NEW', 'IS NOT')}
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""")
    op.execute(f"CREATE TRIGGER invoices_kept BEFORE DELETE ON invoices BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")
    for event in ('UPDATE', 'DELETE'):
        op.execute(
            f"CREATE TRIGGER archive_entries_{event.lower()} BEFORE {event} ON archive_entries "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION invoicing_guard_invoice CASCADE')
        op.execute('DROP FUNCTION invoicing_refuse_change CASCADE')
    else:
        for trigger in ('invoices_fixed', 'invoices_kept', 'archive_entries_update', 'archive_entries_delete'):
            op.execute(f'DROP TRIGGER {trigger}')
    op.drop_table('archive_head')
    op.drop_table('archive_entries')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index('ix_invoices_corrects')
        batch_op.drop_index('ix_invoices_status')

    op.drop_table('invoices')
    op.drop_table('invoice_counters')
