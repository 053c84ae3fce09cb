"""Only ``index/whoosh_format.py`` touches Whoosh's insides; the engine imports nothing from Whoosh at all.

Whoosh-Reloaded's private names (``matcher._maxid``), internal modules (``whoosh.codec``, ``whoosh.filedb``,
``whoosh.matching``, ``whoosh.util``, ...), private hooks overridden in subclasses and patches of its
classes are allowed in one module, so that a Whoosh upgrade has one file to review. This test reads the
source of every other module of ``index/`` and names each breach with its file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

INDEX = Path(__file__).resolve().parents[2] / "index"
WALL = INDEX / "whoosh_format.py"
ENGINE = INDEX / "engine"
# Whoosh's public modules: what its documentation teaches (schema, analysis, queries, opening and writing).
PUBLIC_WHOOSH = {
    "whoosh.analysis",
    "whoosh.columns",
    "whoosh.fields",
    "whoosh.formats",
    "whoosh.index",
    "whoosh.lang.porter2",
    "whoosh.query",
    "whoosh.writing",
}
ATTRIBUTE_FUNCTIONS = {"getattr", "hasattr", "setattr", "delattr"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _root(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def file_breaches(path: Path) -> list[str]:
    """Every way the module ``path`` reaches into Whoosh's insides, as ``file:line: what``."""
    where = str(path.relative_to(INDEX.parent))
    return breaches(path.read_text(encoding="utf-8"), where, in_engine=ENGINE in path.parents)


def breaches(source: str, where: str, *, in_engine: bool = False) -> list[str]:
    """Every way ``source`` reaches into Whoosh's insides, as ``where:line: what``."""
    check = _WallCheck(where, in_engine)
    check.visit(ast.parse(source, filename=where))
    return check.found


class _WallCheck(ast.NodeVisitor):
    """Walks a module in source order: its imports say which names are Whoosh's before they are used."""

    def __init__(self, where: str, in_engine: bool) -> None:
        self.where, self.in_engine = where, in_engine
        self.found: list[str] = []
        self.whoosh_names: set[str] = set()  # names bound to something imported from Whoosh

    def breach(self, node: ast.AST, what: str) -> None:
        self.found.append(f"{self.where}:{getattr(node, 'lineno', 0)}: {what}")

    def imported(self, node: ast.AST, module: str, name: str) -> None:
        if self.in_engine:
            self.breach(node, f"the engine imports {module}; go through index.whoosh_format")
        elif module not in PUBLIC_WHOOSH:
            self.breach(node, f"imports Whoosh's internal module {module}")
        elif _private(name):
            self.breach(node, f"imports Whoosh's private {name}")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] == "whoosh":
                self.whoosh_names.add((alias.asname or alias.name).split(".")[0])
                self.imported(node, alias.name, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and node.module.split(".")[0] == "whoosh":
            for alias in node.names:
                self.whoosh_names.add(alias.asname or alias.name)
                module = f"whoosh.{alias.name}" if node.module == "whoosh" else node.module
                self.imported(node, module, alias.name)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if _private(node.attr) and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            self.breach(node, f"reads the private attribute .{node.attr} of another object")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = node.args[1] if len(node.args) > 1 else None
        if (
            isinstance(node.func, ast.Name)
            and node.func.id in ATTRIBUTE_FUNCTIONS
            and isinstance(name, ast.Constant)
            and isinstance(name.value, str)
            and _private(name.value)
        ):
            self.breach(node, f"{node.func.id}(..., {name.value!r}) reaches a private attribute")
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if any(_root(base) in self.whoosh_names for base in node.bases):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and _private(item.name):
                    self.breach(item, f"{node.name} (a Whoosh subclass) defines the private hook {item.name}")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(target, ast.Attribute) and _root(target) in self.whoosh_names for target in node.targets):
            self.breach(node, "patches a Whoosh module or class")
        self.generic_visit(node)


def index_modules() -> list[Path]:
    return sorted(path for path in INDEX.rglob("*.py") if path != WALL)


def test_only_whoosh_format_touches_whoosh_internals():
    assert len(index_modules()) > 20
    found = [line for path in index_modules() for line in file_breaches(path)]
    assert found == [], "\n".join(found)


def test_the_engine_imports_nothing_from_whoosh():
    engine = [path for path in index_modules() if ENGINE in path.parents]
    assert len(engine) >= 6
    for path in engine:
        assert "import whoosh" not in path.read_text(encoding="utf-8")
        assert "from whoosh" not in path.read_text(encoding="utf-8")


def test_the_check_finds_what_whoosh_format_does():
    """The wall itself, read with the same eyes: private names, internal modules, the patch, the hook."""
    found = "\n".join(file_breaches(WALL))
    for expected in (
        "reads the private attribute ._maxid",
        "internal module whoosh.codec.whoosh3",
        "internal module whoosh.filedb",
        "patches a Whoosh module or class",
        "getattr(..., '_perdoc')",
    ):
        assert expected in found, found


def test_the_check_names_a_subclass_hook_an_engine_import_and_a_patch():
    source = (
        "import whoosh.filedb.structfile as structfile\n"
        "from whoosh.query import MultiTerm, _private\n"
        "class Mine(MultiTerm):\n"
        "    def _btexts(self, reader):\n"
        "        return reader._perdoc\n"
        "structfile.BufferFile.read = None\n"
    )
    found = "\n".join(breaches(source, "example.py"))
    for expected in (
        "example.py:1: imports Whoosh's internal module whoosh.filedb.structfile",
        "example.py:2: imports Whoosh's private _private",
        "example.py:4: Mine (a Whoosh subclass) defines the private hook _btexts",
        "example.py:5: reads the private attribute ._perdoc",
        "example.py:6: patches a Whoosh module or class",
    ):
        assert expected in found, found
    assert "the engine imports whoosh.query" in "\n".join(breaches(source, "engine.py", in_engine=True))
