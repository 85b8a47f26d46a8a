"""Blueprints, one per audience, and the helpers they share."""
