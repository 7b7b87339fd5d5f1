"""the log of evidence exports

Every export of the evidence bundle (and of the annual report) is recorded: who ran it, from
where (CLI or portal), when, the period, and the SHA-256 of its signed manifest.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evidence_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('export_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('exported_by', sa.String(length=300), nullable=False),
    sa.Column('via', sa.String(length=16), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=True),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('acknowledgements', sa.Integer(), nullable=False),
    sa.Column('exported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('export_id')
    )


def downgrade() -> None:
    op.drop_table('evidence_exports')
