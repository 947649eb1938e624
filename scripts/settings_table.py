"""Rewrite the settings table in README.md from positions.config (run after adding a setting)."""
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from positions.config import iter_settings  # noqa: E402

rows = ["| setting | default | what it does |", "|---|---|---|"]
rows += [f"| `{name}` | `{value!r}` | {help_text} |" for name, value, help_text in iter_settings()]
readme = REPO / "README.md"
text = readme.read_text(encoding="utf-8")
text = re.sub(r"<!-- settings -->.*?<!-- /settings -->", "<!-- settings -->\n" + "\n".join(rows) + "\n<!-- /settings -->",
              text, flags=re.S)
readme.write_text(text, encoding="utf-8")
