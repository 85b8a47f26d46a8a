"""One shape for every list the owner edits in place (locations, therapists,
services, hours, promotions).

The page template renders the list with one item per row and an "add" form,
all inside block ``<name>s``; each item is ``_<name>.html``'s block
``<name>_item``, shown as facts with an Edit link or, when ``form`` is set, as
its edit form. With htmx the Edit link swaps that one item for its form and
the form swaps back the saved item (or itself with errors); without
JavaScript the Edit link opens the page with that item as a form.

``add`` and ``edit`` are whole views: GET shows the page (or the item's form),
POST runs the service given the submitted form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for

from ...forms.base import EmptyForm
from ...models import Clinic
from .. import actions
from ..htmx import is_htmx, render


def edit_prefix(row) -> str:
    """Field-name prefix of an item's edit form, so its ids never clash with the add form's."""
    return f"edit-{row.id}"


@dataclass(frozen=True)
class Collection:
    name: str  # "therapist": templates owner/therapists.html and owner/_therapist.html
    list_endpoint: str  # "owner.therapists"
    make_form: Callable[..., object]  # (clinic, *, obj=None, blank=False, prefix="") -> form
    context: Callable[[Clinic], dict]  # what the page lists, and pickers' choices

    def back(self, clinic: Clinic) -> str:
        """The list's address, where a plain POST goes back to."""
        return url_for(self.list_endpoint, slug=clinic.slug)

    def add(self, clinic: Clinic, save: Callable[[object], object], *,
            message: Callable[[object], str]):
        """The list page (GET), or its add form posted: ``save(form)`` runs and
        ``message(form)`` is what the owner is told."""
        form = self.make_form(clinic)
        if not form.is_submitted():
            return self.page(clinic)
        return self.create(clinic, form, lambda: save(form), message=message(form),
                           back=self.back(clinic))

    def edit(self, clinic: Clinic, row, save: Callable[[object], object], *,
             message: Callable[[object], str], back: str | None = None):
        """An item's edit form (GET), or that form posted: ``save(form)`` runs."""
        form = self.make_form(clinic, prefix=edit_prefix(row))
        if not form.is_submitted():
            return self.show_edit(clinic, row)
        return self.update(clinic, row, form, lambda: save(form), message=message(form),
                           back=back or self.back(clinic))

    def page(self, clinic: Clinic, *, new_form=None, editing=None, edit_form=None,
             error=None, stranded=(), saved=None, status=200, **extra):
        """The whole page (or, for htmx, its list block)."""
        return render(
            f"owner/{self.name}s.html", f"{self.name}s", clinic=clinic,
            new_form=new_form or self.make_form(clinic, blank=True), editing=editing,
            edit_form=edit_form, error=error, stranded=stranded, saved=saved,
            delete_form=EmptyForm(formdata=None), status=status,
            **self.context(clinic), **extra,
        )

    def item(self, clinic: Clinic, row, *, form=None, error=None, stranded=(), saved=None,
             status=200):
        """One item as a fragment: facts, or its edit form."""
        return render(
            f"owner/_{self.name}.html", f"{self.name}_item", clinic=clinic,
            **{self.name: row}, form=form, error=error, stranded=stranded, saved=saved,
            delete_form=EmptyForm(formdata=None), status=status, **self.context(clinic),
        )

    def create(self, clinic: Clinic, form, run: Callable[[], object], *, message: str, back: str):
        """POST to the list: add an item; htmx gets the list block back."""
        return actions.edit(
            form, run,
            fragment=lambda form, **kw: self.page(clinic, new_form=form, **kw),
            page=lambda form, **kw: self.page(clinic, new_form=form, **kw),
            back=back, message=message,
        )

    def show_edit(self, clinic: Clinic, row):
        """GET an item's edit form: the fragment for htmx, the page otherwise."""
        form = self.make_form(clinic, obj=row, prefix=edit_prefix(row))
        if is_htmx():
            return self.item(clinic, row, form=form)
        return self.page(clinic, editing=row.id, edit_form=form)

    def update(self, clinic: Clinic, row, form, run: Callable[[], object], *, message: str,
               back: str):
        """POST an item's edit form."""
        return actions.edit(
            form, run,
            fragment=lambda **kw: self.item(clinic, row, **kw),
            page=lambda form, **kw: self.page(clinic, editing=row.id, edit_form=form, **kw),
            back=back, message=message,
        )

    def delete(self, clinic: Clinic, row, run: Callable[[], object], *, message: str, back: str):
        """POST an item's remove button: htmx gets a short note in its place."""

        def fragment(*, saved, **kw):
            if saved:
                return render("owner/_removed.html", message=saved)
            kw.pop("form", None)
            return self.item(clinic, row, **kw)

        return actions.edit(
            EmptyForm(), run, fragment=fragment,
            page=lambda form, **kw: self.page(clinic, **kw),
            back=back, message=message,
        )
