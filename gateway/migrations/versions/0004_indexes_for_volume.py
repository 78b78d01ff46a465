"""indexes that keep status, STATUT, doctor and mail show fast at a million mails

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_mails_sender_received_at', 'mails', ['sender', 'received_at'])
    op.create_index('ix_mails_received_at', 'mails', ['received_at'])
    op.create_index('ix_outbox_mail_id', 'outbox', ['mail_id'])


def downgrade() -> None:
    op.drop_index('ix_outbox_mail_id', table_name='outbox')
    op.drop_index('ix_mails_received_at', table_name='mails')
    op.drop_index('ix_mails_sender_received_at', table_name='mails')
