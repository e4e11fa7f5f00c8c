"""The apps depend on each other one way only (docs/architecture.md):

    sab <- subgroups <- priorities <- reports
    sab <- reviews <- reports            (reviews may link to priorities)
    priorities <- assurance <- reports

A module may import its own app and the apps below it. The one exception is the project's URL
wiring (sab/urls.py, sab/api_urls.py), which names every app.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("sab", "subgroups", "priorities", "reviews", "assurance", "reports")
MAY_IMPORT = {
    "sab": {"sab"},
    "subgroups": {"sab", "subgroups"},
    "priorities": {"sab", "subgroups", "priorities"},
    "reviews": {"sab", "subgroups", "priorities", "reviews"},
    "assurance": {"sab", "subgroups", "priorities", "assurance"},
    "reports": set(APPS),
}
URL_WIRING = {"sab/urls.py", "sab/api_urls.py"}


def _imported_apps(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & set(APPS)


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).exists() else []:
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative and relative not in URL_WIRING:
                yield app, relative


def test_an_app_imports_only_itself_and_the_apps_below_it():
    upward = {
        module: sorted(_imported_apps(ROOT / module) - MAY_IMPORT[app])
        for app, module in _modules()
    }
    assert len(upward) > 40  # every app module was read
    assert {module: apps for module, apps in upward.items() if apps} == {}


def test_the_check_finds_an_upward_import(tmp_path):
    module = tmp_path / "forms.py"
    module.write_text("def f():\n    from subgroups.models import Group\n")
    assert _imported_apps(module) - MAY_IMPORT["sab"] == {"subgroups"}
