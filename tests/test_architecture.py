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


def test_no_negotiation_specific_words_in_package():
    words = ("hamas", "gaza", "israel", "netanyahu", "rafah", "hostage", "uaw", "ford")
    offenders = []
    for path in (REPO / "positions").rglob("*.py"):
        text = path.read_text(encoding="utf-8").lower()
        offenders += [f"{path.name}: {w}" for w in words if w in text]
    assert offenders == []
