"""the accountant's loop: lettering of lines, letterings, accounting periods (mailed, closed)

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'accounting_periods',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('month', sa.Date(), nullable=False, unique=True),
        sa.Column('state', sa.String(16), nullable=False, server_default='open'),
        sa.Column('mails_sent', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('first_sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('archive_head', sa.String(64), nullable=False, server_default=''),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_by', sa.String(998), nullable=False, server_default=''),
        sa.Column('closing_mail_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'letterings',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('code', sa.String(8), nullable=False, unique=True),
        sa.Column('account', sa.String(20), nullable=False),
        sa.Column('aux_account', sa.String(20), nullable=False, server_default=''),
        sa.Column('lettered_on', sa.Date(), nullable=False),
        sa.Column('receivable_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table('journal_lines') as batch:
        batch.add_column(sa.Column('lettering', sa.String(8), nullable=False, server_default=''))
        batch.add_column(sa.Column('lettered_on', sa.Date(), nullable=True))
    with op.batch_alter_table('journal_entries') as batch:
        batch.add_column(sa.Column('mailed_in', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_journal_entries_mailed_in', 'accounting_periods', ['mailed_in'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('journal_entries') as batch:
        batch.drop_constraint('fk_journal_entries_mailed_in', type_='foreignkey')
        batch.drop_column('mailed_in')
    with op.batch_alter_table('journal_lines') as batch:
        batch.drop_column('lettered_on')
        batch.drop_column('lettering')
    op.drop_table('letterings')
    op.drop_table('accounting_periods')
