"""What a client answers on the health intake, as one value the form builds,
the screening reads and the intake records store encrypted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class IntakeAnswers:
    """What the client told us; the form builds it, the intake service encrypts it."""

    contraindications: frozenset[str] = frozenset()
    medications: str = ""
    pregnant: bool = False
    trimester: int | None = None
    surgery_date: date | None = None
    chemo_end_date: date | None = None
    notes: str = ""

    def to_dict(self) -> dict:
        """A JSON-safe mapping (dates as ISO strings, keys sorted)."""
        return {
            "contraindications": sorted(self.contraindications),
            "medications": self.medications,
            "pregnant": self.pregnant,
            "trimester": self.trimester,
            "surgery_date": _iso(self.surgery_date),
            "chemo_end_date": _iso(self.chemo_end_date),
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> IntakeAnswers:
        """The inverse of ``to_dict``; missing keys take defaults, unknown ones are ignored."""
        trimester = data.get("trimester")
        return cls(
            contraindications=frozenset(str(k) for k in data.get("contraindications") or ()),
            medications=str(data.get("medications") or ""),
            pregnant=bool(data.get("pregnant")),
            trimester=int(trimester) if trimester is not None else None,
            surgery_date=_date(data.get("surgery_date")),
            chemo_end_date=_date(data.get("chemo_end_date")),
            notes=str(data.get("notes") or ""),
        )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
