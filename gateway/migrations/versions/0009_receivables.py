"""getting paid: receivables, reminder steps claimed once, settlements, statement lines, history

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'receivables',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('invoice_id', sa.Integer(), sa.ForeignKey('invoices.id'), nullable=False, unique=True),
        sa.Column('number', sa.String(64), nullable=False, unique=True),
        sa.Column('client_key', sa.String(1100), nullable=False),
        sa.Column('client_name', sa.String(998), nullable=False),
        sa.Column('client_email', sa.String(998), nullable=False, server_default=''),
        sa.Column('client_siren', sa.String(9), nullable=False, server_default=''),
        sa.Column('consumer', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('salesperson', sa.String(998), nullable=False, server_default=''),
        sa.Column('issue_date', sa.Date(), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('amount_due', sa.String(32), nullable=False),
        sa.Column('paid', sa.String(32), nullable=False, server_default='0.00'),
        sa.Column('credited', sa.String(32), nullable=False, server_default='0.00'),
        sa.Column('outstanding', sa.String(32), nullable=False),
        sa.Column('state', sa.String(16), nullable=False, server_default='open'),
        sa.Column('paused_until', sa.Date(), nullable=True),
        sa.Column('next_step', sa.String(32), nullable=False, server_default=''),
        sa.Column('next_on', sa.Date(), nullable=True),
        sa.Column('last_step', sa.String(32), nullable=False, server_default=''),
        sa.Column('last_sent_on', sa.Date(), nullable=True),
        sa.Column('escalated_on', sa.Date(), nullable=True),
        sa.Column('escalation_due', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('thread_message_id', sa.String(998), nullable=False, server_default=''),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_receivables_due', 'receivables', ['state', 'next_on'])
    op.create_index('ix_receivables_paused', 'receivables', ['state', 'paused_until'])
    op.create_index('ix_receivables_client', 'receivables', ['client_key'])
    op.create_index('ix_receivables_escalation', 'receivables', ['escalation_due'])
    op.create_table(
        'reminder_sends',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('receivable_id', sa.Integer(), sa.ForeignKey('receivables.id'), nullable=False),
        sa.Column('step', sa.String(32), nullable=False),
        sa.Column('outcome', sa.String(16), nullable=False),
        sa.Column('outbox_id', sa.Integer(), sa.ForeignKey('outbox.id'), nullable=True),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('receivable_id', 'step', name='uq_reminder_sends_step'),
    )
    op.create_table(
        'settlements',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('receivable_id', sa.Integer(), sa.ForeignKey('receivables.id'), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('amount', sa.String(32), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('source', sa.String(16), nullable=False),
        sa.Column('reference', sa.Text(), nullable=False, server_default=''),
        sa.Column('actor', sa.String(998), nullable=False, server_default=''),
        sa.Column('mail_id', sa.Integer(), sa.ForeignKey('mails.id'), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_settlements_receivable', 'settlements', ['receivable_id'])
    op.create_table(
        'statement_lines',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('fingerprint', sa.String(64), nullable=False, unique=True),
        sa.Column('mail_id', sa.Integer(), sa.ForeignKey('mails.id'), nullable=True),
        sa.Column('booked_on', sa.Date(), nullable=False),
        sa.Column('amount', sa.String(32), nullable=False),
        sa.Column('label', sa.Text(), nullable=False, server_default=''),
        sa.Column('outcome', sa.String(16), nullable=False),
        sa.Column('numbers', sa.Text(), nullable=False, server_default=''),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'receivable_mails',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('receivable_id', sa.Integer(), sa.ForeignKey('receivables.id'), nullable=False),
        sa.Column('message_id', sa.String(998), nullable=False),
    )
    op.create_index('ix_receivable_mails_message_id', 'receivable_mails', ['message_id'])
    op.create_table(
        'receivable_events',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('receivable_id', sa.Integer(), sa.ForeignKey('receivables.id'), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('mail_id', sa.Integer(), sa.ForeignKey('mails.id'), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_receivable_events_receivable', 'receivable_events', ['receivable_id'])


def downgrade() -> None:
    op.drop_index('ix_receivable_events_receivable', table_name='receivable_events')
    op.drop_table('receivable_events')
    op.drop_index('ix_receivable_mails_message_id', table_name='receivable_mails')
    op.drop_table('receivable_mails')
    op.drop_table('statement_lines')
    op.drop_index('ix_settlements_receivable', table_name='settlements')
    op.drop_table('settlements')
    op.drop_table('reminder_sends')
    op.drop_index('ix_receivables_escalation', table_name='receivables')
    op.drop_index('ix_receivables_client', table_name='receivables')
    op.drop_index('ix_receivables_paused', table_name='receivables')
    op.drop_index('ix_receivables_due', table_name='receivables')
    op.drop_table('receivables')
