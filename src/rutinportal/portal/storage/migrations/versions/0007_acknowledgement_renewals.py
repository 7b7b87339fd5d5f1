"""renewals of an acknowledgement of the same version

A document that expires (`renew_months`) is owed again while its version stays the same, so
one person may acknowledge one version more than once: `renewal` numbers the records of a
person and version (0 the first, 1 its first renewal, …) and the unique constraint becomes
(person, document, version, renewal). Existing records are the first of their version (0).

Taking it back would leave a renewal without a place in the old schema: the downgrade refuses
while renewals are stored, rather than delete evidence.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

from rutinportal.errors import UserError


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

OLD = ['person_pk', 'document_id', 'version']
NEW = 'uq_ack_person_version_renewal'
# The old constraint's name as PostgreSQL made it (a downgrade gives it back under that name,
# on SQLite too). SQLite made it without a name: the batch copy names it by the pattern.
POSTGRESQL_NAME = 'acknowledgements_person_pk_document_id_version_key'
NAMING = {'uq': 'uq_%(table_name)s_%(column_0_N_name)s'}


def _old_constraint() -> str:
    """The name of the (person, document, version) constraint: PostgreSQL named it when it
    was made; SQLite's has none, and the naming pattern gives it one."""
    for found in sa.inspect(op.get_bind()).get_unique_constraints('acknowledgements'):
        if found['column_names'] == OLD and found['name']:
            return found['name']
    return 'uq_acknowledgements_person_pk_document_id_version'


def upgrade() -> None:
    old = _old_constraint()
    with op.batch_alter_table('acknowledgements', schema=None,
                              naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column('renewal', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.drop_constraint(old, type_='unique')
        batch_op.create_unique_constraint(NEW, OLD + ['renewal'])


def downgrade() -> None:
    renewals = op.get_bind().execute(sa.text(
        'SELECT count(*) FROM acknowledgements WHERE renewal > 0')).scalar()
    if renewals:
        raise UserError(
            f'Databasen kan inte tas tillbaka före version 0007: den har {renewals} förnyade '
            'kvittenser (kolumnen renewal i tabellen acknowledgements), och det äldre schemat '
            'har ingen plats för dem. De är bevis och tas inte bort. Ingenting har ändrats.')
    with op.batch_alter_table('acknowledgements', schema=None) as batch_op:
        batch_op.drop_constraint(NEW, type_='unique')
        batch_op.create_unique_constraint(POSTGRESQL_NAME, OLD)
        batch_op.drop_column('renewal')
