"""The fixed lists of languages and amenities: codes that fit their columns, checked
codes once each in the list's order, unknown ones refused by name."""

import pytest

from marketplace.models import ClinicAmenity, TherapistLanguage
from marketplace.services.common.errors import FieldError
from marketplace.services.common.features import AMENITIES, LANGUAGES


@pytest.mark.parametrize(("terms", "column"), [
    (LANGUAGES, TherapistLanguage.__table__.c.code),
    (AMENITIES, ClinicAmenity.__table__.c.code),
])
def test_codes_are_unique_and_fit_their_column(terms, column):
    assert len(set(terms.codes)) == len(terms.codes)
    assert max(len(code) for code in terms.codes) <= column.type.length


def test_the_languages_named_in_the_product_are_there():
    for code, name in [("en", "English"), ("es", "Spanish"), ("zh", "Mandarin"),
                       ("yue", "Cantonese"), ("vi", "Vietnamese"), ("tl", "Tagalog"),
                       ("ht", "Haitian Creole"), ("ase", "American Sign Language")]:
        assert LANGUAGES.name(code) == name


def test_checked_codes_come_once_each_in_the_lists_order():
    assert AMENITIES.checked(["shower", "parking", "shower"], field="a") == ("parking", "shower")
    assert LANGUAGES.checked([], field="l") == ()


def test_an_unknown_code_is_refused_naming_the_field():
    with pytest.raises(FieldError) as refused:
        LANGUAGES.checked(["en", "x" * 500], field="language_codes")
    assert refused.value.field == "language_codes"
    assert len(str(refused.value)) < 120  # a hostile value is not echoed whole


def test_a_code_dropped_from_the_list_still_reads_as_itself():
    assert AMENITIES.name("sauna") == "sauna"
