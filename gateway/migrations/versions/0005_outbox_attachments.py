"""files sent with outbox rows (invoice PDFs, exports)

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'outbox_attachments',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('outbox_id', sa.Integer(), sa.ForeignKey('outbox.id'), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('filename', sa.String(255), nullable=False),
        sa.Column('content_type', sa.String(127), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=True),
        sa.Column('invoice_number', sa.String(64), nullable=False, server_default=''),
    )
    op.create_index('ix_outbox_attachments_outbox_id', 'outbox_attachments', ['outbox_id'])


def downgrade() -> None:
    op.drop_index('ix_outbox_attachments_outbox_id', table_name='outbox_attachments')
    op.drop_table('outbox_attachments')
