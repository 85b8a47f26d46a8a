"""CSV that spreadsheets show but never run, written a batch of rows at a time.

A text cell that would start a formula (=, +, -, @, or a tab or carriage
return before one) gets a leading apostrophe: the value is shown, never
evaluated. Every CSV export (the audit log, a clinic's bookings and deposits)
goes through here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell a spreadsheet will show but never evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_stream(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, batch: int = 2000
) -> Iterator[str]:
    """CSV text: the header, then ``batch`` safe rows at a time (for a streamed response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(v) for v in row])
        if count % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
