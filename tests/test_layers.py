"""The architecture as a test: the core never reaches up into the chat layer, the chat layer
uses the core only through the library, the models and the errors, and no modules import each
other in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE_API = {"index.library", "index.models", "index.errors"}


def _imports() -> dict[str, set[str]]:
    """Each project module and the project modules it imports."""
    graph: dict[str, set[str]] = {}
    for package in ("index", "bot"):
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module)
                elif isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
            graph[name] = {m for m in found if m.split(".")[0] in ("index", "bot", "telegram")}
    return graph


def test_the_core_never_imports_the_chat_layer_or_telegram() -> None:
    for module, imported in _imports().items():
        if module.startswith("index"):
            assert not {m for m in imported if m.split(".")[0] in ("bot", "telegram")}, module


def test_the_chat_layer_uses_only_the_cores_library_models_and_errors() -> None:
    for module, imported in _imports().items():
        if module.startswith("bot"):
            core = {m for m in imported if m.startswith("index")}
            assert core <= CORE_API, f"{module} imports {sorted(core - CORE_API)}"


def test_no_import_cycle() -> None:
    graph = _imports()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        assert module not in path, " -> ".join([*path, module])
        if module in done:
            return
        for imported in graph.get(module, ()):
            if imported in graph and imported != module:
                visit(imported, [*path, module])
        done.add(module)

    for module in graph:
        visit(module, [])


def test_no_private_module_of_python_telegram_bot_is_imported() -> None:
    """PTB's underscored modules (telegram._utils …) change between releases without notice."""
    for module, imported in _imports().items():
        private = {m for m in imported if m.startswith("telegram") and "._" in m}
        assert not private, f"{module} imports {sorted(private)}"
