"""Schema migrations with Alembic, applied at start and by `rutinportal db upgrade`."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

# Held for the migration's transaction: processes starting at once on several hosts (boot, a
# rolling upgrade) migrate one after the other; the later ones find the schema current.
MIGRATION_LOCK = 0x7275_7469_6E70  # any constant: "rutinp"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("rutinportal.portal.storage") / "migrations"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to date (safe to run on every start, by any number of
    processes at once: on PostgreSQL one migrates at a time)."""
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` (for operators undoing an upgrade, and tests)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def head() -> str:
    """The newest revision this code knows: a database at it has the current schema."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revisions() -> set[str]:
    """Every revision this code can upgrade from (for a database restored from a backup)."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in
            ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
