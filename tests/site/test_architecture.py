"""The layers of docs/ARCHITECTURE.md hold by construction: import-linter checks the
imports in `make test`. What it cannot tell is an import hidden inside a function to
get round a layer; this looks for those.

One kind is Django's own: `AppConfig.ready()` in an app's apps.py imports the modules
whose signal receivers it connects (the models are not loaded when apps.py is). Those
imports are still import-linter's to judge (it reads imports inside functions too), so
they are allowed here and nowhere else."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("accounts", "articles", "comments", "moderation", "metoo_site", "core")


def _function_level_project_imports(
    source: str, *, apps_module: bool = False
) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if apps_module and node.name == "ready":
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and inner.module:
                names = [inner.module]
            elif isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            else:
                continue
            for name in names:
                if name.split(".")[0] in PACKAGES:
                    found.append((inner.lineno, name))
    return found


def test_the_check_finds_an_import_hidden_in_a_function():
    source = "def f():\n    from moderation import services\n    return services\n"
    assert _function_level_project_imports(source) == [(2, "moderation")]


def test_the_check_lets_an_app_config_connect_its_receivers_in_ready_and_only_there():
    ready = "class C:\n    def ready(self):\n        from moderation import services\n"
    assert _function_level_project_imports(ready, apps_module=True) == []
    assert _function_level_project_imports(ready) == [(3, "moderation")]
    other = "class C:\n    def setup(self):\n        from moderation import services\n"
    assert _function_level_project_imports(other, apps_module=True) == [(3, "moderation")]


def test_no_app_module_imports_a_project_module_inside_a_function():
    hidden = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            imports = _function_level_project_imports(
                path.read_text(), apps_module=path.name == "apps.py"
            )
            for line, name in imports:
                hidden.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert hidden == []
