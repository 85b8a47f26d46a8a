"""The layering the code promises, checked on its import graph.

Every import counts, at the top of a module or inside a function, including the
ones only type checkers read, so a cycle cannot hide behind a late import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "marketplace"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The application modules ``name`` imports (a package counts as its ``__init__``)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    found.add(f"{target}.{alias.name}")
                elif target in known:
                    found.add(target)
    found.discard(name)
    return found


GRAPH = {name: _imports(name, path, set(_modules())) for name, path in _modules().items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path, or None (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for root in sorted(graph):
        if root in state:
            continue
        stack = [(root, iter(sorted(graph[root])))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return path[path.index(child):] + [child]
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(sorted(graph.get(child, ())))))
                path.append(child)
    return None


def test_the_graph_sees_function_local_imports():
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
    # cli.py imports services only inside its commands; they still count.
    assert any(target.startswith("marketplace.services.") for target in GRAPH["marketplace.cli"])


def test_no_module_imports_itself_back():
    assert _cycle(GRAPH) is None, " -> ".join(_cycle(GRAPH))


def _domain(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "services" else None


def test_no_two_service_domains_depend_on_each_other():
    domains: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        if (source := _domain(module)) is not None:
            domains.setdefault(source, set()).update(
                d for t in targets if (d := _domain(t)) not in (None, source))
    assert _cycle(domains) is None, " -> ".join(_cycle(domains))


@pytest.mark.parametrize(("layer", "forbidden"), [
    ("marketplace.services", ("marketplace.web", "marketplace.forms", "marketplace.demo",
                              "marketplace.cli", "flask")),
    ("marketplace.models", ("marketplace.services", "marketplace.web", "marketplace.demo")),
    ("marketplace.forms", ("marketplace.web", "marketplace.demo")),
    ("marketplace.web", ("marketplace.demo",)),
])
def test_lower_layers_do_not_reach_up(layer, forbidden):
    offenders = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items() if module.startswith(layer)
        for target in targets if target.startswith(forbidden)
    )
    assert not offenders, offenders


#: What only a request has. Services take "now", the user and the settings as arguments.
REQUEST_NAMES = {"request", "session", "g", "flash", "redirect", "url_for", "abort",
                 "render_template", "make_response", "current_user", "login_user"}


def test_services_never_read_the_request():
    offenders = sorted(
        f"{name}: {alias.name}"
        for name, path in _modules().items() if name.startswith("marketplace.services")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
            "flask", "flask_login", "werkzeug")
        for alias in node.names if alias.name in REQUEST_NAMES
    )
    assert not offenders, offenders


def test_services_and_views_import_at_the_top():
    """A late import in the domain or a view is how a cycle hides; the app factory and
    the commands may import late (they load what a command or a setting needs)."""
    late = sorted(
        f"{name}:{node.lineno}"
        for name, path in _modules().items()
        if name.startswith(("marketplace.services", "marketplace.web"))
        for function in ast.walk(ast.parse(path.read_text()))
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.ImportFrom)
        and (node.level or (node.module or "").startswith("marketplace"))
    )
    assert not late, late
