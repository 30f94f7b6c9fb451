"""collector status table

Revision ID: 0002_collector_status
Revises: 0001
Create Date: 2026-11-23 00:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_collector_status'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('collector_status',
    sa.Column('collector', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('last_run', sa.DateTime(timezone=True), nullable=True),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('next_run', sa.DateTime(timezone=True), nullable=True),
    sa.Column('waiting_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('collector', name=op.f('pk_collector_status'))
    )


def downgrade() -> None:
    op.drop_table('collector_status')
