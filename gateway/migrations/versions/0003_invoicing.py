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


def downgrade() -> None:
    op.drop_table('archive_head')
    op.drop_table('archive_entries')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index('ix_invoices_corrects')
        batch_op.drop_index('ix_invoices_status')

    op.drop_table('invoices')
    op.drop_table('invoice_counters')
