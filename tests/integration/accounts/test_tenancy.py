import pytest

from marketplace.models import Role
from marketplace.services.accounts import tenancy
from marketplace.services.common.errors import NotFound


def test_owner_gets_own_clinic_only(app, create_user, create_clinic):
    mine_owner = create_user(role=Role.OWNER)
    other_owner = create_user(role=Role.OWNER)
    mine = create_clinic(owner=mine_owner)
    theirs = create_clinic(owner=other_owner)
    assert tenancy.member_clinic(mine_owner, mine.slug) is mine
    with pytest.raises(NotFound):
        tenancy.member_clinic(mine_owner, theirs.slug)
    with pytest.raises(NotFound):
        tenancy.member_clinic(mine_owner, "no-such-clinic")
    assert tenancy.member_clinics(mine_owner) == [mine]


def test_admin_may_act_for_any_clinic(app, create_user, create_clinic):
    admin = create_user(role=Role.ADMIN)
    clinic = create_clinic(owner=create_user(role=Role.OWNER))
    assert tenancy.member_clinic(admin, clinic.slug) is clinic


def test_client_manages_nothing(app, create_user, create_clinic):
    client = create_user()
    clinic = create_clinic()
    with pytest.raises(NotFound):
        tenancy.member_clinic(client, clinic.slug)
