"""Becoming an owner: registering as one or switching from a client account,
creating a clinic (pending, with what it still needs), and claiming a listing
that an admin then approves."""

from datetime import UTC, datetime, time

from sqlalchemy import select

from marketplace.models import (
    AuditLog,
    ClaimStatus,
    Clinic,
    ClinicClaim,
    ClinicStatus,
    Role,
    User,
    WorkingHours,
    db,
)
from marketplace.services.admin import clinics as admin_service
from marketplace.services.clinics import onboarding
from tests.support.factories import (
    create_clinic,
    create_service,
    create_therapist,
    create_user,
)
from tests.support.mailbox import welcome_path

NOW = datetime(2031, 3, 3, 12, tzinfo=UTC)
NEW_CLINIC = {
    "name": "Harbor Trigger Point Studio",
    "tagline": "Neuromuscular therapy by the bay",
    "description": "Trigger point and myofascial work for desk-job necks.",
    "phone": "727-555-0142",
    "email": "",
    "website": "https://harbor.example",
    "address_line1": "410 Central Ave",
    "address_line2": "Suite 2",
    "city": "",
    "zip_code": "33701",
}


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_registering_as_an_owner_leads_to_the_console(client):
    response = client.post("/register", data={
        "account_type": "owner", "name": "Olive Owner", "email": "olive@example.com",
        "phone": "", "password": "a long owner password", "confirm": "a long owner password",
    })
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/register/check-inbox")
    signed_in = client.post(welcome_path("olive@example.com"))
    assert signed_in.headers["Location"].endswith("/owner")
    page = client.get("/owner").get_data(as_text=True)
    assert "You do not manage a clinic yet" in page
    assert "Add a new clinic" in page
    assert "Claim an existing listing" in page


def test_a_client_switches_to_an_owner_account_from_settings(client, auth):
    user = create_user()
    auth.session_for(user)
    assert client.get("/owner").status_code == 403
    assert "Set up a clinic account" in client.get("/account/settings").get_data(as_text=True)
    assert "Yes, I run a clinic" in client.get("/owner/start").get_data(as_text=True)
    response = client.post("/owner/start")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/owner")
    db.session.refresh(user)
    assert user.role is Role.OWNER
    assert "user.become_owner" in audit_actions()
    assert client.get("/owner").status_code == 200


def test_an_owner_creates_a_pending_clinic_and_sees_what_is_missing(client, auth):
    owner = create_user(role=Role.OWNER)
    auth.session_for(owner)
    response = client.post("/owner/clinics/new", data=NEW_CLINIC)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    clinic = db.session.scalar(select(Clinic).where(Clinic.name == NEW_CLINIC["name"]))
    assert response.headers["Location"].endswith(f"/owner/clinics/{clinic.slug}")
    assert clinic.status is ClinicStatus.PENDING
    assert [m.user_id for m in clinic.members] == [owner.id]
    location = clinic.locations[0]
    assert (location.city, location.state, location.timezone) == (
        "Saint Petersburg", "FL", "America/New_York")
    assert {"clinic.create", "location.create"} <= set(audit_actions())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Waiting for verification" in page
    assert "List a therapist with a licence number" in page
    assert "(to do)" in page


def test_a_bad_zip_keeps_everything_typed(client, auth):
    auth.session_for(create_user(role=Role.OWNER))
    response = client.post("/owner/clinics/new", data={**NEW_CLINIC, "zip_code": "00000"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "We do not know the ZIP code 00000" in page
    assert 'value="Harbor Trigger Point Studio"' in page
    assert "Trigger point and myofascial work" in page
    assert db.session.scalar(select(Clinic).where(Clinic.name == NEW_CLINIC["name"])) is None


def test_clinic_slugs_are_unique_and_never_a_page_name(app):
    owner = create_user(role=Role.OWNER)
    create_clinic(slug="harbor-studio")
    from marketplace.services.clinics import listings

    location = listings.LocationData("Main", "1 A St", None, None, "33701", None)
    profile = listings.ProfileData("Harbor Studio", None, "", None, None, None)
    clinic = onboarding.create_clinic(owner=owner, profile=profile, location=location, now=NOW)
    assert clinic.slug == "harbor-studio-33701"
    named_new = listings.ProfileData("New", None, "", None, None, None)
    assert onboarding.create_clinic(owner=owner, profile=named_new, location=location,
                                    now=NOW).slug != "new"


def test_readiness_follows_the_listing(app, create_bookable_clinic):
    b = create_bookable_clinic(status=ClinicStatus.PENDING)
    assert all(step.done for step in onboarding.readiness(b.clinic))
    b.therapist.licence_number = None
    steps = {s.key: s.done for s in onboarding.readiness(b.clinic)}
    assert not steps["therapist"]
    assert steps["service"]
    fresh = create_clinic(description="", phone=None)
    steps = {s.key: s.done for s in onboarding.readiness(fresh)}
    assert steps == {"profile": False, "location": True, "therapist": False,
                     "service": False, "hours": False, "policy": True}
    t = create_therapist(fresh)
    create_service(fresh, therapists=[t])
    db.session.add(WorkingHours(therapist=t, location=fresh.locations[0], weekday=0,
                                starts=time(9), ends=time(12)))
    db.session.flush()
    db.session.expire(fresh)
    assert {s.key for s in onboarding.readiness(fresh) if s.done} == {
        "location", "therapist", "service", "hours", "policy"}


def test_claiming_a_listing_until_an_admin_approves_it(client, auth):
    listed = create_clinic(name="Gulfside Myofascial Test Studio")
    create_clinic(name="Gulfside Suspended Studio", status=ClinicStatus.SUSPENDED)
    owner = create_user(role=Role.OWNER)
    auth.session_for(owner)
    page = client.get("/owner/claim", query_string={"q": "gulfside"}).get_data(as_text=True)
    assert listed.name in page
    assert "Gulfside Suspended Studio" not in page
    fragment = client.htmx("GET", "/owner/claim?q=gulfside")
    assert listed.name in fragment.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)

    response = client.post("/owner/claim?q=gulfside", data={"clinic": listed.slug, "message": ""})
    assert response.status_code == 422
    assert "This field is required" in response.get_data(as_text=True)

    response = client.post("/owner/claim", data={"clinic": listed.slug,
                                                 "message": "I own it; call 727-555-0100."})
    assert response.status_code == 303
    claim = db.session.scalar(select(ClinicClaim).where(ClinicClaim.user_id == owner.id))
    assert claim.status is ClaimStatus.PENDING
    assert "claim.request" in audit_actions()
    again = client.post("/owner/claim", data={"clinic": listed.slug, "message": "Please."})
    assert again.status_code == 422
    assert "already waiting" in again.get_data(as_text=True)
    assert "Waiting for an admin" in client.get("/owner").get_data(as_text=True)

    admin = create_user(role=Role.ADMIN)
    admin_service.approve_claim(claim=db.session.get(ClinicClaim, claim.id),
                                admin=db.session.get(User, admin.id), now=NOW,
                                sender="bookings@kneaded.test")
    db.session.commit()
    page = client.get("/owner").get_data(as_text=True)
    assert listed.name in page
    assert "Approved" in page
    assert client.get(f"/owner/clinics/{listed.slug}").status_code == 200


def test_an_accented_name_keeps_its_letters_in_the_slug(app):
    from marketplace.services.clinics import listings

    owner = create_user(role=Role.OWNER)
    location = listings.LocationData("Main", "1 A St", None, None, "80202", None)
    profile = listings.ProfileData("Café Zürich", None, "", None, None, None)
    clinic = onboarding.create_clinic(owner=owner, profile=profile, location=location, now=NOW)
    assert clinic.slug == "cafe-zurich"
    again = onboarding.create_clinic(owner=owner, profile=profile, location=location, now=NOW)
    assert again.slug == "cafe-zurich-80202"  # the location gave no city: its ZIP
