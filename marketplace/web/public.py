"""Public pages: home, search, clinic profiles, health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from ..forms.search import SearchForm
from ..models import Clinic, ClinicStatus, db
from ..services import catalog, geo
from ..services.search import SearchQuery, search
from .htmx import render

bp = Blueprint("public", __name__)


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


@bp.get("/search")
def search_page():
    """Search results; the same form works with and without JavaScript."""
    form = SearchForm(request.args)
    results, place_error = None, None
    if form.validate():
        query = SearchQuery(
            q=form.q.data or "", near=form.near.data or "", radius_mi=form.radius_mi.data or 25
        )
        try:
            results = search(query)
        except geo.GeocodeError as exc:
            place_error = str(exc)
            form.near.errors = [place_error]
    status = 422 if form.errors else 200
    return render("public/search.html", "results", status=status, form=form, results=results)


@bp.get("/healthz")
def healthz():
    """200 when the app and its database answer, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok", database="up")
