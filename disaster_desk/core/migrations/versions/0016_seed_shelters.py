"""seed the shelter registry with the area pack's designated shelters

Revision ID: 0016_seed_shelters
Revises: 0015_map_town_counts

A new database knows the city's 指定避難所 (872 for Osaka City, from the GSI
CSV in resources/areas/osaka-city) so a ward or drill report naming a known
shelter has a position and the SIP4D-ZIP export carries it. An existing
database gets the ones it lacks (by 共通ID); rows it already holds (imported
with ``shelters import``) are left as they are.
"""
from alembic import op

revision = '0016_seed_shelters'
down_revision = '0015_map_town_counts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from disaster_desk.core.shelter_registry import seed_from_pack

    seed_from_pack(op.get_bind())


def downgrade() -> None:
    pass  # the rows are ordinary registry data; dropping them would lose imported updates
