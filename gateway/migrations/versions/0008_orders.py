"""client directory and orders copied to the gateway

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'clients',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('key', sa.String(1100), nullable=False, unique=True),
        sa.Column('name', sa.String(998), nullable=False),
        sa.Column('siren', sa.String(9), nullable=False, server_default=''),
        sa.Column('siret', sa.String(14), nullable=False, server_default=''),
        sa.Column('vat_number', sa.String(32), nullable=False, server_default=''),
        sa.Column('email', sa.String(998), nullable=False, server_default=''),
        sa.Column('address', sa.Text(), nullable=False, server_default=''),
        sa.Column('postcode', sa.String(16), nullable=False, server_default=''),
        sa.Column('city', sa.String(200), nullable=False, server_default=''),
        sa.Column('country', sa.String(2), nullable=False, server_default='FR'),
        sa.Column('is_business', sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'orders',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('mail_id', sa.Integer(), sa.ForeignKey('mails.id'), nullable=False),
        sa.Column('message_id', sa.String(998), nullable=False, server_default=''),
        sa.Column('salesperson', sa.String(998), nullable=False),
        sa.Column('written_to', sa.Text(), nullable=False, server_default=''),
        sa.Column('status', sa.String(32), nullable=False),
        sa.Column('order_text', sa.Text(), nullable=False, server_default=''),
        sa.Column('answers', sa.Text(), nullable=False, server_default=''),
        sa.Column('client_id', sa.Integer(), sa.ForeignKey('clients.id'), nullable=True),
        sa.Column('invoice_number', sa.String(64), nullable=False, server_default=''),
        sa.Column('deposit_number', sa.String(64), nullable=False, server_default=''),
        sa.Column('request', sa.Text(), nullable=False, server_default=''),
        sa.Column('total_incl_tax', sa.String(32), nullable=False, server_default=''),
        sa.Column('note', sa.Text(), nullable=False, server_default=''),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index('ix_orders_status', 'orders', ['status'])


def downgrade() -> None:
    op.drop_index('ix_orders_status', table_name='orders')
    op.drop_table('orders')
    op.drop_table('clients')
