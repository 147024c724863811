"""Figures about the code's shape, for comparing a tree before and after a restructuring.

    .venv/bin/python scripts/shape_report.py [--tests]

Prints the packages of `forum/` with their modules, the template globals and filters the app
registers (beyond Flask's and Jinja's own), the functions that build URLs, the ten largest
functions, and with `--tests` the number of tests pytest collects.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORUM = ROOT / "forum"


def tree() -> list[str]:
    lines = []
    for package in sorted(p for p in FORUM.rglob("__init__.py") if "migrations" not in p.parts):
        folder = package.parent
        depth = len(folder.relative_to(ROOT).parts)
        if depth > 3:
            continue
        modules = sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")
        subpackages = sorted(p.name + "/" for p in folder.iterdir() if (p / "__init__.py").exists())
        lines.append(f"{folder.relative_to(ROOT)}/  {' '.join(modules + subpackages)}")
    return lines


def functions():
    for path in sorted(FORUM.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(module):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield path.relative_to(ROOT), node


def url_helpers() -> list[str]:
    """Functions that exist to make a link: named *_url/*_link(s) or `url`, and calling url_for."""
    found = []
    for path, node in functions():
        named = node.name.endswith(("_url", "_link", "_links")) or node.name == "url"
        calls = {
            call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
            for call in ast.walk(node)
            if isinstance(call, ast.Call)
        }
        if named and calls & {"url_for", "external_url"}:
            found.append(f"{path}:{node.lineno} {node.name}")
    return found


def largest(n: int = 10) -> list[str]:
    sized = [
        (node.end_lineno - node.lineno + 1, f"{path}:{node.lineno} {node.name}")
        for path, node in functions()
    ]
    return [f"{size:4d} lines  {where}" for size, where in sorted(sized, reverse=True)[:n]]


def template_names() -> tuple[list[str], list[str]]:
    import tempfile

    from flask import Flask

    from forum import create_app

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/shape.db", "TESTING": True}
        )
        bare = Flask("bare")
        globals_ = sorted(set(app.jinja_env.globals) - set(bare.jinja_env.globals))
        filters = sorted(set(app.jinja_env.filters) - set(bare.jinja_env.filters))
    return globals_, filters


def test_count() -> str:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return run.stdout.strip().splitlines()[-1]


def main() -> None:
    print("## forum/ packages and their modules")
    print("\n".join(tree()))
    globals_, filters = template_names()
    print(f"\n## template globals: {len(globals_)}, filters: {len(filters)}")
    print("globals:", " ".join(globals_))
    print("filters:", " ".join(filters))
    helpers = url_helpers()
    print(f"\n## URL helpers: {len(helpers)}")
    print("\n".join(helpers))
    print("\n## the ten largest functions")
    print("\n".join(largest()))
    if "--tests" in sys.argv:
        print(f"\n## tests: {test_count()}")


if __name__ == "__main__":
    main()
