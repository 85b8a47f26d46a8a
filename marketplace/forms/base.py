"""Form bases: whitespace stripped everywhere, text fields that refuse file parts,
and an empty form for POST buttons."""

from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import FileField, MultipleFileField, TextAreaField
from wtforms.validators import Length

from ..services.common.text import plain_text

#: What a text field says when a multipart request sends a file part in its place.
EXPECTS_TEXT = "This field expects text, not a file."


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _text_only(field) -> None:
    """Make ``field`` refuse file parts with a message instead of handing a
    ``FileStorage`` to code (and validators) that expect a string."""
    if isinstance(field, FileField | MultipleFileField):
        return
    read = field.process_formdata

    def process_formdata(valuelist):
        if any(isinstance(value, FileStorage) for value in valuelist or ()):
            # The field keeps its default (or the object's value), shows no file back,
            # and the form is invalid (BaseForm.validate keeps the message).
            field.raw_data = []
            field.got_file = True
            raise ValueError(EXPECTS_TEXT)
        read(valuelist)

    field.got_file = False
    field.process_formdata = process_formdata


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if _strip not in filters:
                unbound_field.kwargs["filters"] = [_strip, *filters]
            field = unbound_field.bind(form=form, **options)
            _text_only(field)
            return field

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if getattr(field, "got_file", False):
                # "This field is required" and the like may have replaced the message.
                if EXPECTS_TEXT not in field.errors:
                    field.errors = [EXPECTS_TEXT, *field.errors]
                valid = False
        return valid


class EmptyForm(BaseForm):
    """A POST-only button (sign out, cancel, approve) still carries the CSRF token."""


class GetForm(BaseForm):
    """A search or filter form read from the query string, without CSRF."""

    class Meta(BaseForm.Meta):
        csrf = False


def text_area(
    label: str, limit: int, *, rows: int, first: tuple = (), min_length: int = -1,
    length_message: str | None = None, **kw,
) -> TextAreaField:
    """A plain-text area of at most ``limit`` characters, a cap the browser applies too.
    ``first``: the validators that run before the length check (required, optional)."""
    return TextAreaField(
        label, filters=[plain_text],
        validators=[*first, Length(min=min_length, max=limit, message=length_message)],
        render_kw={"rows": rows, "maxlength": limit}, **kw,
    )
