"""The fixed vocabularies a listing picks from: the languages therapists give sessions in
and the amenities clinics offer. Stored as their codes (``therapist_languages``,
``clinic_amenities``); this module is the one place that names them.

Languages carry ISO 639-1 codes, or ISO 639-3 where a language has none (Cantonese
``yue``, American Sign Language ``ase``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .errors import FieldError


@dataclass(frozen=True)
class Term:
    code: str
    name: str


class FixedList:
    """A closed list of terms, in the order people read them."""

    def __init__(self, noun: str, terms: Iterable[tuple[str, str]]):
        self.noun = noun
        self.terms = tuple(Term(code, name) for code, name in terms)
        self._by_code = {t.code: t for t in self.terms}

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def choices(self) -> list[tuple[str, str]]:
        """(code, name) pairs for a select or a checkbox group."""
        return [(t.code, t.name) for t in self.terms]

    def name(self, code: str) -> str:
        """The term's name; a code no longer in the list reads as itself."""
        term = self._by_code.get(code)
        return term.name if term else code

    def known(self, code: str) -> bool:
        return code in self._by_code

    def checked(self, codes: Iterable[str], *, field: str) -> tuple[str, ...]:
        """The codes once each, in the list's order; an unknown one raises FieldError."""
        wanted = set(codes)
        unknown = sorted(code for code in wanted if code not in self._by_code)
        if unknown:
            raise FieldError(field, f"We do not know the {self.noun} “{unknown[0][:40]}”. "
                             "Choose from the list.")
        return tuple(t.code for t in self.terms if t.code in wanted)

    def terms_for(self, codes: Iterable[str]) -> list[Term]:
        """The known terms among ``codes``, in the list's order."""
        wanted = set(codes)
        return [t for t in self.terms if t.code in wanted]


ENGLISH = "en"

LANGUAGES = FixedList("language", [
    ("en", "English"), ("ase", "American Sign Language"), ("am", "Amharic"),
    ("ar", "Arabic"), ("bn", "Bengali"), ("yue", "Cantonese"), ("nl", "Dutch"),
    ("fa", "Farsi"), ("fr", "French"), ("de", "German"), ("el", "Greek"),
    ("gu", "Gujarati"), ("ht", "Haitian Creole"), ("haw", "Hawaiian"), ("he", "Hebrew"),
    ("hi", "Hindi"), ("it", "Italian"), ("ja", "Japanese"), ("ko", "Korean"),
    ("zh", "Mandarin"), ("no", "Norwegian"), ("pl", "Polish"), ("pt", "Portuguese"),
    ("pa", "Punjabi"), ("ru", "Russian"), ("so", "Somali"), ("es", "Spanish"),
    ("sv", "Swedish"), ("tl", "Tagalog"), ("th", "Thai"), ("tr", "Turkish"),
    ("uk", "Ukrainian"), ("ur", "Urdu"), ("vi", "Vietnamese"), ("yo", "Yoruba"),
])

AMENITIES = FixedList("amenity", [
    ("step-free", "Step-free access"),
    ("accessible-restroom", "Accessible restroom"),
    ("adjustable-table", "Height-adjustable table"),
    ("parking", "Parking"),
    ("near-transit", "Near public transit"),
    ("changing-room", "Changing room"),
    ("shower", "Shower"),
    ("pregnancy-support", "Pregnancy table or bolsters"),
    ("quiet-room", "Quiet room"),
    ("female-therapist", "Female therapist available"),
    ("fragrance-free", "Fragrance-free on request"),
])
#: The longest code each column must hold (migration 0007_languages_amenities).
LANGUAGE_CODE_MAX, AMENITY_CODE_MAX = 3, 32
