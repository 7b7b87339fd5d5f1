"""due dates, exceptions, workplace meetings and the e-mail ledger

Memberships gain `since` (existing rows: their person's `created_at`), so that a person who
joins an audience owes its routines from that day. Acknowledgements gain `meeting_id`
(nullable: the web path inserts as before) pointing to a workplace meeting (APT). New tables:
the meetings and who attended, exceptions (away until, due date extended), and the e-mail
ledger (runs, messages claimed before sending, the points of each obligation told).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('since', STAMP, nullable=True))
    op.execute("UPDATE memberships SET since = (SELECT people.created_at FROM people "
               "WHERE people.id = memberships.person_pk)")
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.alter_column('since', existing_type=STAMP, nullable=False)

    op.create_table('apt_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('witness_pk', sa.Integer(), nullable=False),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('quiz_id', sa.String(length=80), nullable=True),
    sa.Column('recorded_at', STAMP, nullable=False),
    sa.ForeignKeyConstraint(['witness_pk'], ['people.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('apt_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_pk', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['apt_meetings.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_pk'], ['people.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('meeting_id', 'person_pk')
    )
    with op.batch_alter_table('apt_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_apt_attendance_person_pk'), ['person_pk'],
                              unique=False)
    with op.batch_alter_table('acknowledgements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_acknowledgements_meeting_id', 'apt_meetings',
                                    ['meeting_id'], ['id'])

    op.create_table('person_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_pk', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('document_id', sa.String(length=16), nullable=True),
    sa.Column('until', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('recorded_by', sa.String(length=300), nullable=False),
    sa.Column('recorded_at', STAMP, nullable=False),
    sa.Column('revoked_at', STAMP, nullable=True),
    sa.Column('revoked_by', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['person_pk'], ['people.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('person_exceptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_exceptions_person_pk'), ['person_pk'],
                              unique=False)

    op.create_table('notify_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('today', sa.Date(), nullable=False),
    sa.Column('host', sa.String(length=200), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('started_at', STAMP, nullable=False),
    sa.Column('alive_at', STAMP, nullable=False),
    sa.Column('finished_at', STAMP, nullable=True),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('no_email', sa.Integer(), nullable=False),
    sa.Column('left', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('person_pk', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('html', sa.String(), nullable=False),
    sa.Column('claimed_at', STAMP, nullable=False),
    sa.Column('sent_at', STAMP, nullable=True),
    sa.Column('failed_at', STAMP, nullable=True),
    sa.Column('smtp_answer', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['person_pk'], ['people.id'], ),
    sa.ForeignKeyConstraint(['run_id'], ['notify_runs.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_person_pk'), ['person_pk'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_run_id'), ['run_id'], unique=False)

    op.create_table('notice_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_pk', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=64), nullable=False),
    sa.Column('point', sa.String(length=48), nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_pk'], ['people.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_pk', 'item', 'point')
    )
    with op.batch_alter_table('notice_marks', schema=None) as batch_op:
        batch_op.create_index('ix_notice_marks_item', ['item'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notice_marks', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_marks_item')
    op.drop_table('notice_marks')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_run_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_person_pk'))
    op.drop_table('notifications')
    op.drop_table('notify_runs')
    with op.batch_alter_table('person_exceptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_exceptions_person_pk'))
    op.drop_table('person_exceptions')
    with op.batch_alter_table('acknowledgements', schema=None) as batch_op:
        batch_op.drop_constraint('fk_acknowledgements_meeting_id', type_='foreignkey')
        batch_op.drop_column('meeting_id')
    with op.batch_alter_table('apt_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_apt_attendance_person_pk'))
    op.drop_table('apt_attendance')
    op.drop_table('apt_meetings')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('since')
