"""Form bases: whitespace stripped everywhere, and an empty form for POST buttons."""

from __future__ import annotations

from flask_wtf import FlaskForm


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if _strip not in filters:
                unbound_field.kwargs["filters"] = [_strip, *filters]
            return unbound_field.bind(form=form, **options)


class EmptyForm(BaseForm):
    """A POST-only button (sign out, cancel, approve) still carries the CSRF token."""


class GetForm(BaseForm):
    """A search or filter form read from the query string, without CSRF."""

    class Meta(BaseForm.Meta):
        csrf = False
