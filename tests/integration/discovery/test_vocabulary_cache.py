"""The search vocabulary is kept in memory: a search reads no vocabulary rows, and a change
made in this process is seen by the very next search, committed or rolled back."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.models import Modality, ModalityAlias, db
from marketplace.services.discovery import terms as search_terms
from tests.support import factories


def test_a_second_load_reads_nothing_from_the_database(app, count_queries):
    factories.create_modality("trigger-point-therapy")
    db.session.commit()
    first = search_terms.load_vocabulary()
    with count_queries() as queries:
        again = search_terms.load_vocabulary()
    assert again is first
    assert queries.count == 0


def test_a_technique_added_is_found_by_the_next_search(app):
    assert search_terms.load_vocabulary().technique("lomi-lomi") is None
    factories.create_modality("lomi-lomi")
    db.session.commit()
    assert search_terms.load_vocabulary().technique("lomi-lomi") is not None


def test_an_alias_added_by_a_statement_is_understood_next_time(app):
    technique = factories.create_modality("structural-energetic-therapy")
    db.session.commit()
    assert search_terms.load_vocabulary().named("bone whisperer") is None
    db.session.execute(sa.insert(ModalityAlias).values(modality_id=technique.id,
                                                       alias="bone whisperer"))
    db.session.commit()
    assert search_terms.load_vocabulary().named("bone whisperer").slug == technique.slug


def test_a_rolled_back_technique_does_not_linger(app):
    with db.session.begin_nested():
        factories.create_modality("hot-stone")
        assert search_terms.load_vocabulary().technique("hot-stone") is not None
        db.session.rollback()
    assert db.session.scalar(sa.select(Modality).where(Modality.slug == "hot-stone")) is None
    assert search_terms.load_vocabulary().technique("hot-stone") is None


def test_a_change_made_elsewhere_is_seen_once_the_copy_is_old(app, monkeypatch, count_queries):
    search_terms.load_vocabulary()
    # another process changed the table: nothing here saw it, so the copy stands ...
    db.session.connection().execute(sa.insert(Modality.__table__).values(
        slug="cupping", name="Cupping", intensity="moderate", summary=""))
    with count_queries() as queries:
        assert search_terms.load_vocabulary().technique("cupping") is None
    assert queries.count == 0
    # ... until it is older than the time a copy is kept
    monkeypatch.setattr(search_terms, "VOCABULARY_TTL_SECONDS", 0.0)
    assert search_terms.load_vocabulary().technique("cupping") is not None
