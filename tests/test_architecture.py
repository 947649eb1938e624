"""Streamlit lives only in app.py and positions/ui; nothing about a particular negotiation is hard-coded."""
import ast

from conftest import REPO


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_streamlit_only_in_ui():
    offenders = []
    for path in (REPO / "positions").rglob("*.py"):
        if "ui" in path.relative_to(REPO / "positions").parts:
            continue
        if any(name.split(".")[0] == "streamlit" for name in _imports(path)):
            offenders.append(str(path))
    assert offenders == []


def _code_strings_and_names(path):
    """String literals (docstrings excluded) and identifiers: what the code uses, not what comments say."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.value.lower()
        elif isinstance(node, ast.Name):
            yield node.id.lower()


def test_no_negotiation_specific_words_in_package():
    words = ("hamas", "gaza", "israel", "netanyahu", "rafah", "hostage", "prisoner", "uaw", "ford", "qatar")
    offenders = []
    for path in (REPO / "positions").rglob("*.py"):
        for text in _code_strings_and_names(path):
            offenders += [f"{path.name}: {w} in {text[:60]!r}" for w in words if w in text]
    assert offenders == []
