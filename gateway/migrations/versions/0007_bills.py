"""bills: supplier bills received by mail, suppliers' validated history, unreadable files

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'bills',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('mail_id', sa.Integer(), sa.ForeignKey('mails.id'), nullable=True),
        sa.Column('forwarded_by', sa.String(998), nullable=False, server_default=''),
        sa.Column('reviewer', sa.String(998), nullable=False, server_default=''),
        sa.Column('channel', sa.String(16), nullable=False, server_default='forward'),
        sa.Column('file_sha256', sa.String(64), nullable=False, server_default=''),
        sa.Column('filename', sa.String(255), nullable=False, server_default=''),
        sa.Column('kind', sa.String(16), nullable=False, server_default='invoice'),
        sa.Column('source', sa.String(16), nullable=False, server_default='text'),
        sa.Column('supplier_key', sa.String(255), nullable=False, server_default=''),
        sa.Column('supplier_name', sa.String(255), nullable=False, server_default=''),
        sa.Column('supplier_siren', sa.String(9), nullable=False, server_default=''),
        sa.Column('supplier_siret', sa.String(14), nullable=False, server_default=''),
        sa.Column('supplier_vat_number', sa.String(20), nullable=False, server_default=''),
        sa.Column('supplier_iban', sa.String(40), nullable=False, server_default=''),
        sa.Column('number', sa.String(64), nullable=False, server_default=''),
        sa.Column('issue_date', sa.String(10), nullable=False, server_default=''),
        sa.Column('due_date', sa.String(10), nullable=False, server_default=''),
        sa.Column('currency', sa.String(3), nullable=False, server_default='EUR'),
        sa.Column('total_excl_tax', sa.String(32), nullable=False, server_default=''),
        sa.Column('total_tax', sa.String(32), nullable=False, server_default=''),
        sa.Column('total_incl_tax', sa.String(32), nullable=False, server_default=''),
        sa.Column('tax_lines', sa.JSON(), nullable=False),
        sa.Column('extraction', sa.JSON(), nullable=False),
        sa.Column('confidence', sa.JSON(), nullable=False),
        sa.Column('account', sa.String(20), nullable=False, server_default=''),
        sa.Column('account_reason', sa.Text(), nullable=False, server_default=''),
        sa.Column('reverse_charge', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('status', sa.String(20), nullable=False, server_default='awaiting_staff'),
        sa.Column('status_reason', sa.Text(), nullable=False, server_default=''),
        sa.Column('duplicate_of_bill_id', sa.Integer(), sa.ForeignKey('bills.id'), nullable=True),
        sa.Column('duplicate_match', sa.String(16), nullable=False, server_default=''),
        sa.Column('corrections', sa.JSON(), nullable=False),
        sa.Column('review_token_id', sa.Integer(), sa.ForeignKey('reply_tokens.id'), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('journal_entry_id', sa.Integer(), nullable=True),
    )
    op.create_index('ix_bills_file_sha256', 'bills', ['file_sha256'])
    op.create_index('ix_bills_supplier_key', 'bills', ['supplier_key'])
    op.create_index('ix_bills_status', 'bills', ['status'])
    op.create_table(
        'suppliers',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('key', sa.String(255), nullable=False, unique=True),
        sa.Column('name', sa.String(255), nullable=False, server_default=''),
        sa.Column('siren', sa.String(9), nullable=False, server_default=''),
        sa.Column('last_account', sa.String(20), nullable=False, server_default=''),
        sa.Column('validated_ibans', sa.JSON(), nullable=False),
        sa.Column('validated_totals', sa.JSON(), nullable=False),
        sa.Column('validated_count', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('corrected_count', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('streak_iban', sa.String(40), nullable=False, server_default=''),
        sa.Column('streak_count', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('duplicate_policy', sa.String(16), nullable=False, server_default='review'),
        sa.Column('trusted', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'bill_unreadable_files',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('mail_id', sa.Integer(), sa.ForeignKey('mails.id'), nullable=True),
        sa.Column('filename', sa.String(255), nullable=False, server_default=''),
        sa.Column('reason', sa.Text(), nullable=False, server_default=''),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_bill_unreadable_files_seen_at', 'bill_unreadable_files', ['seen_at'])


def downgrade() -> None:
    op.drop_index('ix_bill_unreadable_files_seen_at', table_name='bill_unreadable_files')
    op.drop_table('bill_unreadable_files')
    op.drop_table('suppliers')
    op.drop_index('ix_bills_status', table_name='bills')
    op.drop_index('ix_bills_supplier_key', table_name='bills')
    op.drop_index('ix_bills_file_sha256', table_name='bills')
    op.drop_table('bills')
