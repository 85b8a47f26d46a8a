"""Open time kept as rows: what search, profiles and the API read instead of running the
availability engine on every request (kept by ``services/availability/kept.py``).

One ``OpeningRun`` is a run of bookable starts of one service with one therapist at one
location on one local calendar day: ``first_s``, ``first_s + step_s``, ... ``last_s``
(seconds since the Unix epoch, UTC; ``step_s`` is 0 for a single start). A day with a
booking in the middle has two runs; a daylight-saving change splits a run where the UTC
step changes. Plain integers so both databases do the arithmetic alike ("the first start
at or after a moment" is one expression in SQL).

The rows hold every start the engine gives with no minimum notice and no horizon, and
with every hold counted as busy; readers apply the notice and the horizon for their
``now``. ``OpeningWindow`` (one row) names the local days the rows cover.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import db


class OpeningRun(db.Model):
    __tablename__ = "opening_runs"
    __table_args__ = (
        sa.UniqueConstraint("therapist_id", "service_id", "location_id", "day", "first_s",
                            name="uq_opening_runs_start"),
        sa.CheckConstraint("first_s <= last_s", name="first_before_last"),
        sa.CheckConstraint("step_s >= 0", name="step_not_negative"),
        # search: "open on a date" and "soonest" per technique, then per clinic
        sa.Index("ix_opening_runs_modality_day", "modality_id", "day", "clinic_id"),
        sa.Index("ix_opening_runs_clinic_last", "clinic_id", "last_s"),
        # profiles and the availability API: one service, a run of days
        sa.Index("ix_opening_runs_service_day", "service_id", "day"),
        # (a therapist's rows: the unique constraint's index)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    therapist_id: Mapped[int] = mapped_column(
        sa.ForeignKey("therapists.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("services.id", ondelete="CASCADE"))
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id", ondelete="CASCADE"))
    modality_id: Mapped[int]
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id", ondelete="CASCADE"))
    day: Mapped[date]  # in the location's time zone
    first_s: Mapped[int] = mapped_column(sa.BigInteger)
    last_s: Mapped[int] = mapped_column(sa.BigInteger)
    step_s: Mapped[int]
    duration_s: Mapped[int]  # the service's length, so a start gives its end


class OpeningWindow(db.Model):
    """The local days the runs cover (one row, id 1); empty until first needed."""

    __tablename__ = "opening_window"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_day: Mapped[date | None]
    last_day: Mapped[date | None]
    step_min: Mapped[int | None]  # the slot grid the runs were computed on
