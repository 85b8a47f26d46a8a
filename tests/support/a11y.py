"""Accessibility checks with axe-core (from npm), run inside the page by Playwright."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


@lru_cache(maxsize=1)
def _axe_source() -> str:
    if not AXE.exists():
        raise RuntimeError("axe-core is missing: run `make test` (it runs `npm ci`).")
    return AXE.read_text()


def axe_violations(page, *, impacts=BLOCKING) -> list[dict]:
    """WCAG 2.1 A/AA violations of the given impacts on the current page.

    The script is evaluated through the DevTools protocol, so the page's
    strict Content-Security-Policy stays in force for everything else.
    """
    page.evaluate(_axe_source())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe found serious/critical problems on {page.url}: {violations}"
