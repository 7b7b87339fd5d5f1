"""people's job titles (befattning)

The roster's optional column `befattning` is kept on each person: a document whose `owner` is
that title reaches them (the weekly review reminder). Nullable: people imported before, and
rosters without the column, have none.

A plain ALTER TABLE both ways, not a batch: on SQLite a batch copies `people` and drops the
old table, which the tables that refer to it forbid (SQLite drops a column itself since 3.35).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('people', sa.Column('title', sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column('people', 'title')
