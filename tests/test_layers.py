"""The package's folders are its layers: each folder imports only the folders below it."""

from __future__ import annotations

import ast
from pathlib import Path

import continue_setup

PACKAGE = Path(continue_setup.__file__).parent

# Bottom first. A folder may import its own modules and any folder of a lower rank; ``fake``
# stands beside ``config`` and so imports only the bottom (errors, resources, the version).
RANKS = {
    "": 0, "fake": 1, "config": 1, "check": 2, "setup": 3, "probe": 4,
    "repair": 5, "report": 6, "cli": 7, "entry": 8,
}
ENTRY_POINTS = {"_start", "_quick", "__main__", "fakeserver"}
BOTTOM = {"errors", "resources", "records", "__version__", ""}


def layer_of(module: str) -> str:
    """Return the layer of a dotted module name inside the package ('' for the bottom)."""
    parts = module.split(".")[1:]
    if not parts or parts[0] in BOTTOM:
        return ""
    if parts[0] in ENTRY_POINTS:
        return "entry"
    return parts[0]


def module_name(path: Path, root: Path) -> str:
    """Return the dotted name of ``path`` inside the package rooted at ``root``."""
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    """Every module of ``package`` that ``tree`` imports, anywhere (lazy imports too)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith(package)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == package:  # from continue_setup import x: x may be a folder
                found += [(node.lineno, f"{package}.{a.name}") for a in node.names]
            elif node.module.startswith(package + "."):
                found.append((node.lineno, node.module))
    return found


def violations(root: Path) -> list[str]:
    """Return every import in the package at ``root`` that reaches up a layer."""
    package = root.name
    problems = []
    for path in sorted(root.rglob("*.py")):
        source = module_name(path, root)
        src_layer = layer_of(source)
        for line, target in imported(ast.parse(path.read_text(encoding="utf-8")), package):
            dst_layer = layer_of(target)
            if dst_layer == src_layer or RANKS[dst_layer] < RANKS[src_layer]:
                continue
            where = path.relative_to(root.parent)
            problems.append(f"{where}:{line}: {src_layer or 'bottom'} imports {target}")
    return problems


def test_every_folder_is_a_known_layer() -> None:
    """A new folder must be given its place in the layering before it can hold code."""
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders <= set(RANKS), folders - set(RANKS)


def test_no_folder_imports_a_higher_one() -> None:
    """cli > report > repair > probe > setup > check > config > errors/resources, no cycles."""
    assert violations(PACKAGE) == []


def test_an_upward_import_is_caught(tmp_path: Path) -> None:
    """The check fails on a copy of the package with one deliberate upward import."""
    root = tmp_path / "continue_setup"
    for path in PACKAGE.rglob("*.py"):
        copy = root / path.relative_to(PACKAGE)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    paths = root / "config" / "paths.py"
    paths.write_text(paths.read_text(encoding="utf-8")
                     + "\n\ndef late():\n    from continue_setup.probe import probes\n")
    assert violations(root) == [
        f"continue_setup/config/paths.py:{len(paths.read_text().splitlines())}: "
        "config imports continue_setup.probe"
    ]


def test_the_start_fast_path_does_not_import_the_cli_at_load() -> None:
    """_start and cli no longer import each other: help.txt's location lives in resources."""
    tree = ast.parse((PACKAGE / "cli" / "__init__.py").read_text(encoding="utf-8"))
    assert all(not target.endswith("_start") for _, target in imported(tree, "continue_setup"))
