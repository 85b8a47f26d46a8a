"""The home page and the health check."""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from ...models import Clinic, ClinicStatus, db
from ...services.common import catalog
from ..htmx import render
from .base import bp


@bp.get("/")
def home():
    """The home page: a search box and a few clinics to start from."""
    featured = db.session.scalars(
        select(Clinic)
        .where(Clinic.status == ClinicStatus.PUBLISHED, Clinic.is_illustrative.is_(False))
        .order_by(Clinic.name)
        .limit(6)
    ).all()
    return render(
        "public/home.html",
        featured=featured,
        modalities=catalog.modalities(),
        conditions=catalog.conditions(),
    )


@bp.get("/healthz")
def healthz():
    """200 when the app and its database answer, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()  # the health check failed: its session starts clean next time
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok", database="up")
