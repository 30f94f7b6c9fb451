"""Alembic environment: run with the connection handed over by ``core.db.upgrade``."""

from alembic import context

from disaster_desk.core.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through core.db.upgrade
    raise RuntimeError("run migrations through disaster_desk.core.db.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    on_version_apply=config.attributes.get("on_version_apply"),  # core.db.reporting_migrations
)
with context.begin_transaction():
    context.run_migrations()
