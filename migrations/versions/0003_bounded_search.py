"""search work bounded by what is near and what is shown

Revision ID: 0003_bounded_search
Revises: 0002_search

A spatial index on locations, so a radius search reads only the locations near
the point: on SQLite an R*Tree virtual table (locations_rtree, one box per
location, kept in step by triggers on locations); on PostgreSQL a GiST index on
point(longitude, latitude) (built in: no extension needed).

clinics.rating_rank: the Bayesian average the rating sort ranks by (0 for an
unrated clinic), a generated column, so it can never disagree with rating_avg and
review_count; and one index that serves the rating order of published clinics
(rank, reviews, name, id) with a LIMIT.

All hand-written DDL; models/engine.py keeps locations_rtree* and these two indexes
out of autogenerate.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003_bounded_search"
down_revision = "0002_search"
branch_labels = None
depends_on = None

# The same expression as services/discovery/plan.py rating_score (prior mean 4.0,
# weight 5) and models/clinic.py; a test checks they agree.
RANK = ("CASE WHEN rating_avg IS NULL THEN 0.0 "
        "ELSE (20.0 + rating_avg * review_count) / (5.0 + review_count) END")

SQLITE_RTREE = [
    "CREATE VIRTUAL TABLE locations_rtree USING rtree(id, min_lat, max_lat, min_lng, max_lng)",
    "INSERT INTO locations_rtree (id, min_lat, max_lat, min_lng, max_lng) "
    "SELECT id, latitude, latitude, longitude, longitude FROM locations",
    """CREATE TRIGGER locations_rtree_insert AFTER INSERT ON locations BEGIN
        INSERT INTO locations_rtree (id, min_lat, max_lat, min_lng, max_lng)
        VALUES (new.id, new.latitude, new.latitude, new.longitude, new.longitude);
    END""",
    """CREATE TRIGGER locations_rtree_update AFTER UPDATE OF id, latitude, longitude
    ON locations BEGIN
        DELETE FROM locations_rtree WHERE id = old.id;
        INSERT INTO locations_rtree (id, min_lat, max_lat, min_lng, max_lng)
        VALUES (new.id, new.latitude, new.latitude, new.longitude, new.longitude);
    END""",
    """CREATE TRIGGER locations_rtree_delete AFTER DELETE ON locations BEGIN
        DELETE FROM locations_rtree WHERE id = old.id;
    END""",
]

POSTGRES_POINT = "CREATE INDEX ix_locations_point ON locations USING gist (point(longitude, latitude))"

RANK_INDEX = ("CREATE INDEX ix_clinics_status_rank ON clinics "
              "(status, rating_rank DESC, review_count DESC, name, id)")


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_RTREE:
            op.execute(statement)
        op.execute(f"ALTER TABLE clinics ADD COLUMN rating_rank FLOAT "
                   f"GENERATED ALWAYS AS ({RANK}) VIRTUAL")
    elif dialect == "postgresql":
        op.execute(POSTGRES_POINT)
        op.execute(f"ALTER TABLE clinics ADD COLUMN rating_rank double precision "
                   f"GENERATED ALWAYS AS ({RANK}) STORED")
    else:  # pragma: no cover - only the two supported databases
        raise NotImplementedError(f"no spatial index for {dialect}")
    op.execute(RANK_INDEX)


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_clinics_status_rank")
    op.execute("ALTER TABLE clinics DROP COLUMN rating_rank")
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS locations_rtree_{trigger}")
        op.execute("DROP TABLE IF EXISTS locations_rtree")
    else:
        op.execute("DROP INDEX IF EXISTS ix_locations_point")
