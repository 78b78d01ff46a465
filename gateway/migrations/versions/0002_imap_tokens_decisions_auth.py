"""imap ledger, reply tokens, decisions, sender authentication

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('object_kind', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=998), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('auth_verdict', sa.String(length=16), nullable=False),
    sa.Column('auth_domain', sa.String(length=255), nullable=False, server_default=''),
    sa.Column('message_id', sa.String(length=998), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['mail_id'], ['mails.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index('ix_decisions_object', ['object_kind', 'object_id'], unique=False)

    op.create_table('imap_ledger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account', sa.String(length=255), nullable=False),
    sa.Column('folder', sa.String(length=255), nullable=False),
    sa.Column('uidvalidity', sa.BigInteger(), nullable=False),
    sa.Column('uid', sa.BigInteger(), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=True),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['mail_id'], ['mails.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account', 'folder', 'uidvalidity', 'uid', name='uq_imap_ledger_message')
    )
    op.create_table('reply_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('object_kind', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=998), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_by_mail_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['used_by_mail_id'], ['mails.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('mails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auth_domain', sa.String(length=255), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('helo', sa.String(length=255), nullable=False, server_default=''))



def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('next_attempt_at')

    with op.batch_alter_table('mails', schema=None) as batch_op:
        batch_op.drop_column('helo')
        batch_op.drop_column('auth_domain')

    op.drop_table('reply_tokens')
    op.drop_table('imap_ledger')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_decisions_object')

    op.drop_table('decisions')
