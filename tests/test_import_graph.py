"""The ai_workers package has no import cycles between its modules.

A cycle makes import order matter (a module can see its partner half-initialised) and ties the modules
together, so neither can be understood or replaced alone; the budget counters and the RAG store factory
had one each. Every import statement counts, including those inside functions (a lazy import still
means one module needs the other), except those under ``if TYPE_CHECKING:``, which never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ai_workers

SRC = Path(ai_workers.__file__).parent.parent


def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for path in sorted((SRC / "ai_workers").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        out[".".join(parts)] = (path, is_package)
    return out


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (``from pkg import submodule`` names the submodule)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, (path, is_package) in modules.items():
        package = name if is_package else name.rpartition(".")[0]
        edges = graph[name]

        def visit(node: ast.AST) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.If) and _type_checking_only(child):
                    for other in child.orelse:
                        visit(other)
                    continue
                if isinstance(child, ast.Import):
                    edges.update(alias.name for alias in child.names if alias.name in modules)
                elif isinstance(child, ast.ImportFrom):
                    base = child.module or ""
                    if child.level:
                        parts = package.split(".")
                        parts = parts[: len(parts) - child.level + 1]
                        base = ".".join([*parts, *([child.module] if child.module else [])])
                    for alias in child.names:
                        if f"{base}.{alias.name}" in modules:
                            edges.add(f"{base}.{alias.name}")
                        elif base in modules:
                            edges.add(base)
                visit(child)

        visit(ast.parse(path.read_text(encoding="utf-8")))
        edges.discard(name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_graph_sees_the_imports() -> None:
    graph = import_graph()
    assert "ai_workers.usage.counters" in graph["ai_workers.usage.budgets"]
    assert "ai_workers.rag.stores.embedded" in graph["ai_workers.rag.stores.factory"]  # a lazy import


def test_no_module_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_a_cycle_is_reported() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _package_dependencies() -> dict[str, set[str]]:
    """Top-level package -> the other top-level packages its modules import (the package root aside)."""

    def package(module: str) -> str:
        parts = module.split(".")
        return parts[1] if len(parts) > 1 else parts[0]

    out: dict[str, set[str]] = {}
    for module, imported in import_graph().items():
        if module == "ai_workers":
            continue
        for other in imported:
            if package(other) != package(module):
                out.setdefault(package(module), set()).add(package(other))
    return out


def test_architecture_doc_lists_the_package_dependencies() -> None:
    doc = (SRC.parent / "docs" / "ARCHITECTURE.md").read_text()
    block = doc.split("<!-- package-dependencies -->", 1)[1].split("```")[1]
    listed = {
        line.split("->")[0].strip(): {name.strip() for name in line.split("->")[1].split(",")}
        for line in block.strip().splitlines()
    }
    assert listed == _package_dependencies()
