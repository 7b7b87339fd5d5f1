"""sessions and issued quiz attempts

Server-side sign-in sessions (they can end: sign-out, an administrator, the idle timeout; bound
to the auth mode and OIDC issuer), and the quiz attempts the server hands out (questions drawn,
choices in the order shown; graded once).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('person_pk', sa.Integer(), nullable=False),
    sa.Column('auth_mode', sa.String(length=16), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_pk'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_sha256')
    )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessions_person_pk'), ['person_pk'], unique=False)

    op.create_table('issued_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('person_pk', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.String(length=80), nullable=False),
    sa.Column('quiz_version', sa.Integer(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['person_pk'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token')
    )
    with op.batch_alter_table('issued_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_issued_person_quiz', ['person_pk', 'quiz_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('issued_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_issued_person_quiz')

    op.drop_table('issued_attempts')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessions_person_pk'))

    op.drop_table('sessions')
