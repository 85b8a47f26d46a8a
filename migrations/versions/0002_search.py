"""full-text search index

Revision ID: 0002_search
Revises: 0001_initial

One row per clinic holding the words people search by (clinic name, technique
names and aliases, therapist names, city), kept by marketplace/services/search_index.py.
SQLite: an FTS5 virtual table (rowid = clinic id). PostgreSQL: a tsvector column
with a GIN index. Both are hand-written DDL; models/engine.py keeps tables named
search_fts* out of autogenerate.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002_search"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

SQLITE_FTS = """
CREATE VIRTUAL TABLE search_fts USING fts5(
    name, techniques, people, place,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
)
"""

POSTGRES_FTS = """
CREATE TABLE search_fts (
    clinic_id integer NOT NULL,
    document tsvector NOT NULL,
    CONSTRAINT pk_search_fts PRIMARY KEY (clinic_id),
    CONSTRAINT fk_search_fts_clinic_id_clinics FOREIGN KEY (clinic_id)
        REFERENCES clinics (id) ON DELETE CASCADE
)
"""


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(SQLITE_FTS)
    elif dialect == "postgresql":
        op.execute(POSTGRES_FTS)
        op.execute("CREATE INDEX ix_search_fts_document ON search_fts USING gin (document)")
    else:  # pragma: no cover - only the two supported databases
        raise NotImplementedError(f"no full-text index for {dialect}")
    # Existing clinics are indexed by `flask --app wsgi search-index` (or the next seed).


def downgrade():
    op.execute("DROP TABLE IF EXISTS search_fts")
