"""indexes for the dashboard's reads

Two indexes are widened to hold everything their queries read, so that the database answers
from the index alone, in the order asked for: a routine's acknowledgements by document and
version, with the person, the moment and the workplace meeting (the week-by-week chart); a
person's attempts at a quiz in the order made, with the version and the result (a unit's
attempts until pass). A third finds the passed attempts of a quiz version (the NIS2 modules
in the ledger) without reading everybody's attempts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 09:00:00.000000
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('acknowledgements', schema=None) as batch_op:
        batch_op.drop_index('ix_ack_document')
        batch_op.create_index('ix_ack_document_person', ['document_id', 'version', 'person_pk',
                                                         'acknowledged_at', 'meeting_id'],
                              unique=False)
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempt_person_quiz')
        batch_op.create_index('ix_attempt_series', ['person_pk', 'quiz_id', 'attempted_at', 'id',
                                                    'quiz_version', 'passed'], unique=False)
        batch_op.create_index('ix_attempt_passed', ['quiz_id', 'quiz_version', 'passed',
                                                    'person_pk'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempt_passed')
        batch_op.drop_index('ix_attempt_series')
        batch_op.create_index('ix_attempt_person_quiz', ['person_pk', 'quiz_id'], unique=False)
    with op.batch_alter_table('acknowledgements', schema=None) as batch_op:
        batch_op.drop_index('ix_ack_document_person')
        batch_op.create_index('ix_ack_document', ['document_id', 'version'], unique=False)
