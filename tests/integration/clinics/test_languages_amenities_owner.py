"""An owner edits the languages of their therapists and the amenities of their clinic:
through the services (checked codes, audited as old/new) and over HTTP (checkbox groups
as a plain form and as an htmx fragment), and never for another owner's clinic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from marketplace.models import AuditLog, ClinicAmenity, TherapistLanguage, db
from marketplace.services.clinics import listings, onboarding, therapists
from marketplace.services.common.errors import FieldError
from tests.support.factories import create_bookable_clinic

NOW = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)


def therapist_data(t, **overrides) -> therapists.TherapistData:
    values = {"name": t.name, "credentials": t.credentials, "licence_number": t.licence_number,
              "licence_state": t.licence_state, "practicing_since": t.practicing_since,
              "bio": t.bio, "active": True, "modality_ids": [m.id for m in t.modalities]}
    values.update(overrides)
    return therapists.TherapistData(**values)


def profile_data(clinic, amenities) -> listings.ProfileData:
    return listings.ProfileData(clinic.name, clinic.tagline, clinic.description, clinic.phone,
                                clinic.email, clinic.website, amenities=amenities)


def last_audit(action: str) -> AuditLog:
    return db.session.scalars(select(AuditLog).where(AuditLog.action == action)
                              .order_by(AuditLog.id.desc())).first()


# --- services ------------------------------------------------------------------------------


def test_a_therapists_languages_are_set_once_each_and_audited(app):
    b = create_bookable_clinic()
    changed = therapists.update_therapist(
        therapist=b.therapist, data=therapist_data(b.therapist, languages=("es", "en", "es")),
        actor=b.owner, now=NOW)
    assert changed == {"languages": [[], ["en", "es"]]}
    assert b.therapist.language_codes == ["en", "es"]
    assert last_audit("therapist.update").detail["changed"]["languages"] == [[], ["en", "es"]]
    therapists.update_therapist(therapist=b.therapist,
                                data=therapist_data(b.therapist, languages=("es", "vi")),
                                actor=b.owner, now=NOW)
    db.session.flush()
    rows = db.session.scalars(select(TherapistLanguage.code).where(
        TherapistLanguage.therapist_id == b.therapist.id).order_by(TherapistLanguage.code))
    assert list(rows) == ["es", "vi"]
    assert therapists.update_therapist(
        therapist=b.therapist, data=therapist_data(b.therapist, languages=("vi", "es")),
        actor=b.owner, now=NOW) == {}


def test_a_new_therapist_keeps_their_languages(app):
    b = create_bookable_clinic()
    added = therapists.create_therapist(
        clinic=b.clinic, data=therapist_data(b.therapist, name="Nadia", languages=("ru",)),
        actor=b.owner, now=NOW)
    assert added.language_codes == ["ru"]
    assert last_audit("therapist.create").detail["languages"] == ["ru"]


def test_an_unknown_language_is_refused_and_nothing_changes(app):
    b = create_bookable_clinic()
    with pytest.raises(FieldError) as refused:
        therapists.update_therapist(
            therapist=b.therapist, data=therapist_data(b.therapist, languages=("en", "elvish")),
            actor=b.owner, now=NOW)
    assert refused.value.field == "language_codes"
    assert b.therapist.language_codes == []


def test_amenities_are_set_audited_and_left_alone_when_not_given(app):
    b = create_bookable_clinic()
    changed = listings.update_profile(clinic=b.clinic,
                                      data=profile_data(b.clinic, ("shower", "parking")),
                                      actor=b.owner, now=NOW)
    assert changed == {"amenities": [[], ["parking", "shower"]]}
    assert last_audit("clinic.profile_update").detail["changed"]["amenities"] == [
        [], ["parking", "shower"]]
    listings.update_profile(clinic=b.clinic, data=profile_data(b.clinic, None), actor=b.owner,
                            now=NOW)
    assert b.clinic.amenity_codes == ["parking", "shower"]
    listings.update_profile(clinic=b.clinic, data=profile_data(b.clinic, ("quiet-room",)),
                            actor=b.owner, now=NOW)
    db.session.flush()
    assert list(db.session.scalars(select(ClinicAmenity.code).where(
        ClinicAmenity.clinic_id == b.clinic.id))) == ["quiet-room"]
    with pytest.raises(FieldError) as refused:
        listings.update_profile(clinic=b.clinic, data=profile_data(b.clinic, ("moat",)),
                                actor=b.owner, now=NOW)
    assert refused.value.field == "amenity_codes"


def test_a_new_clinic_starts_with_its_amenities(app):
    owner = create_bookable_clinic().owner
    profile = listings.ProfileData("Harbor Studio", None, "", None, None, None,
                                   amenities=("step-free",))
    location = listings.LocationData("Main", "1 Main St", None, None, "33701", None)
    clinic = onboarding.create_clinic(owner=owner, profile=profile, location=location, now=NOW)
    assert clinic.amenity_codes == ["step-free"]


# --- over HTTP -----------------------------------------------------------------------------


@pytest.fixture
def owned(client, auth):
    b = create_bookable_clinic()
    db.session.commit()
    auth.session_for(b.owner)
    return b


PROFILE = {"name": "Bayfront NMT", "description": "Deep work.", "phone": "", "email": "",
           "website": "", "tagline": ""}


def test_amenities_are_checkboxes_on_the_profile_form_with_and_without_htmx(client, owned):
    base = f"/owner/clinics/{owned.clinic.slug}/profile"
    page = client.get(base).get_data(as_text=True)
    assert 'name="amenity_codes" type="checkbox" value="step-free"' in page
    saved = client.htmx("POST", base, data={**PROFILE, "amenity_codes": ["parking", "shower"]})
    assert saved.status_code == 200
    assert "<html" not in saved.get_data(as_text=True)
    assert 'checked id="amenity_codes-3" name="amenity_codes"' in saved.get_data(as_text=True)
    db.session.refresh(owned.clinic)
    assert owned.clinic.amenity_codes == ["parking", "shower"]
    bad = client.htmx("POST", base, data={**PROFILE, "name": "Renamed",
                                          "amenity_codes": ["parking", "<b>spa</b>"]})
    assert bad.status_code == 422
    assert "We do not know the amenity “&lt;b&gt;spa&lt;/b&gt;”" in bad.get_data(as_text=True)
    db.session.refresh(owned.clinic)
    assert owned.clinic.name == "Bayfront NMT"  # nothing of the refused edit was kept
    plain = client.post(base, data={**PROFILE, "amenity_codes": ["quiet-room"]})
    assert plain.status_code == 303
    assert 'checked id="amenity_codes-8"' in client.get(base).get_data(as_text=True)
    db.session.refresh(owned.clinic)
    assert owned.clinic.amenity_codes == ["quiet-room"]


def test_languages_are_checkboxes_on_the_therapist_form(client, owned):
    t = owned.therapist
    edit = f"/owner/clinics/{owned.clinic.slug}/therapists/{t.id}/edit"
    prefix = f"edit-{t.id}-"
    form = client.htmx("GET", edit).get_data(as_text=True)
    assert f'name="{prefix}language_codes" type="checkbox" value="ase"' in form
    data = {f"{prefix}name": t.name, f"{prefix}active": "y",
            f"{prefix}language_codes": ["es", "en"]}
    saved = client.htmx("POST", edit, data=data)
    assert saved.status_code == 200
    assert "<dt>Languages</dt><dd>English, Spanish</dd>" in saved.get_data(as_text=True)
    db.session.refresh(t)
    assert t.language_codes == ["en", "es"]
    plain = client.post(edit, data={**data, f"{prefix}language_codes": ["tl"]})
    assert plain.status_code == 303
    db.session.refresh(t)
    assert t.language_codes == ["tl"]


def test_one_owner_cannot_edit_another_clinics_languages_or_amenities(client, auth):
    mine, theirs = create_bookable_clinic(), create_bookable_clinic()
    db.session.commit()
    auth.session_for(mine.owner)
    response = client.post(f"/owner/clinics/{theirs.clinic.slug}/profile",
                           data={**PROFILE, "amenity_codes": ["parking"]})
    assert response.status_code == 404
    t = theirs.therapist
    response = client.post(f"/owner/clinics/{theirs.clinic.slug}/therapists/{t.id}/edit",
                           data={f"edit-{t.id}-name": "Mine", f"edit-{t.id}-language_codes": "es"})
    assert response.status_code == 404
    # Their therapist named under my clinic's address is not mine either.
    response = client.post(f"/owner/clinics/{mine.clinic.slug}/therapists/{t.id}/edit",
                           data={f"edit-{t.id}-name": "Mine", f"edit-{t.id}-language_codes": "es"})
    assert response.status_code == 404
    db.session.refresh(theirs.clinic)
    db.session.refresh(t)
    assert theirs.clinic.amenity_codes == []
    assert t.language_codes == []
