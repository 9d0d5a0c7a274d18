"""Read chapter notebooks from tests: their cells, glue names, and teaching code; load scripts."""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]*_*.ipynb"))


def load_module(path: Path, name: str) -> ModuleType:
    """The Python file ``path`` as module ``name``, loaded once per process (registered in
    ``sys.modules``, where dataclasses look their module up)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
    return sys.modules[name]


def script(name: str) -> ModuleType:
    """``scripts/<name>.py``, imported as ``scripts.<name>``: the one name the scripts, the book's
    extension and the tests all use for it (see ``scripts/__init__.py``)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module(f"scripts.{name}")


def toc_files(toc_file: str = "_toc.yml") -> list[str]:
    """Every page of a table of contents in reading order (root, chapters, their sections)."""
    import yaml

    def walk(entries: list[dict]) -> list[str]:
        return [name for e in entries for name in [e["file"], *walk(e.get("sections", []))]]

    toc = yaml.safe_load((ROOT / toc_file).read_text(encoding="utf-8"))
    return [toc["root"]] + [name for part in toc["parts"] for name in walk(part["chapters"])]


def cells(path: Path, kind: str | None = None) -> list[dict]:
    """The cells of a notebook, optionally only those of one type ("code", "markdown")."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if kind is None or c["cell_type"] == kind]


def source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def glued_names(path: Path) -> set[str]:
    """Names passed to glue("name", ...) in the notebook's code."""
    code = "\n".join(source(c) for c in cells(path, "code"))
    return set(re.findall(r"""\bglue\(\s*["']([A-Za-z0-9_]+)["']""", code))


def referenced_glue_names(path: Path) -> set[str]:
    """Names used by {glue:...}`name` roles in the notebook's Markdown."""
    text = "\n".join(source(c) for c in cells(path, "markdown"))
    return set(re.findall(r"\{glue(?::\w+)?\}`([A-Za-z0-9_]+)", text))


def definitions(path: Path, names: list[str]) -> SimpleNamespace:
    """Execute the notebook's top-level ``def`` statements for ``names`` (and nothing else).

    This lets a test check the teaching code the reader sees (e.g. a loss written by hand)
    against the library implementation, without running the whole chapter.
    """
    namespace: dict = {}
    exec("import numpy as np", namespace)
    wanted = set(names)
    for cell in cells(path, "code"):
        try:
            tree = ast.parse(source(cell))
        except SyntaxError:  # IPython magics
            continue
        defs = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in wanted]
        if defs:
            exec(compile(ast.Module(body=defs, type_ignores=[]), str(path), "exec"), namespace)
    missing = wanted - set(namespace)
    if missing:
        raise LookupError(f"{path.name} defines no {sorted(missing)}")
    return SimpleNamespace(**{name: namespace[name] for name in names})
