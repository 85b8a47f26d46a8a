"""``/api/v1/modalities`` and ``/api/v1/conditions``: the vocabulary search uses."""

from __future__ import annotations

from flask import jsonify

from ...services.common import catalog
from . import serialize
from .base import bp


@bp.get("/modalities")
def modalities():
    """Every technique, with its intensity and the other names people search by."""
    return jsonify(modalities=[serialize.modality(m) for m in catalog.modalities()])


@bp.get("/conditions")
def conditions():
    """Every condition, with the techniques that address it."""
    return jsonify(conditions=[serialize.condition(c) for c in catalog.conditions()])
