"""Finding a clinic: the search pipeline and what it shows.

- ``search``: the entry point (a parsed query in, ranked results out)
- ``plan``: a query's words, place and filters as a plan
- ``terms``: the technique and condition vocabulary (cached per process)
- ``sql``: the plan as SQL; ``index``: the denormalised search text kept in step with writes
- ``pins``: a page of results as map pins (each clinic's locations)
- ``profiles``: a clinic's public profile; ``compare`` and ``tray``: the comparison table

Soonest openings and "open on a date" come from ``availability.openings``.
README.md beside this file has the search design, the sorts and the API."""
