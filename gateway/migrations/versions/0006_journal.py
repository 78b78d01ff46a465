"""accounting: journal entries and their lines

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'journal_entries',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('journal', sa.String(8), nullable=False),
        sa.Column('entry_date', sa.Date(), nullable=False),
        sa.Column('piece_ref', sa.String(64), nullable=False),
        sa.Column('piece_date', sa.Date(), nullable=False),
        sa.Column('label', sa.String(255), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('source_kind', sa.String(16), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=True),
        sa.Column('corrects_entry_id', sa.Integer(), sa.ForeignKey('journal_entries.id'), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_journal_entries_date', 'journal_entries', ['entry_date', 'journal'])
    op.create_index('ix_journal_entries_source', 'journal_entries', ['source_kind', 'source_id'])
    op.create_table(
        'journal_lines',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('entry_id', sa.Integer(), sa.ForeignKey('journal_entries.id'), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('account', sa.String(20), nullable=False),
        sa.Column('aux_account', sa.String(20), nullable=False),
        sa.Column('aux_label', sa.String(255), nullable=False),
        sa.Column('label', sa.String(255), nullable=False),
        sa.Column('debit', sa.String(32), nullable=False),
        sa.Column('credit', sa.String(32), nullable=False),
    )
    op.create_index('ix_journal_lines_entry_id', 'journal_lines', ['entry_id'])


def downgrade() -> None:
    op.drop_index('ix_journal_lines_entry_id', table_name='journal_lines')
    op.drop_table('journal_lines')
    op.drop_index('ix_journal_entries_source', table_name='journal_entries')
    op.drop_index('ix_journal_entries_date', table_name='journal_entries')
    op.drop_table('journal_entries')
