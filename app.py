"""positions dashboard: `streamlit run app.py`. Entry only: page config, first-run data, navigation, the
shared sidebar (rendered here so its choices stay put while the analyst moves between pages), run."""
from pathlib import Path

import streamlit as st

from positions.ui import first_run, widgets

PAGES = Path(__file__).parent / "positions" / "ui" / "pages"

st.set_page_config(page_title="Positions", page_icon=":material/balance:", layout="wide")
first_run.ensure_sample_store()
page = st.navigation([
    st.Page(PAGES / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page(PAGES / "timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page(PAGES / "compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page(PAGES / "search.py", title="Search", icon=":material/search:", url_path="search"),
    st.Page(PAGES / "statements.py", title="Statements", icon=":material/table_rows:", url_path="statements"),
    st.Page(PAGES / "add_articles.py", title="Add articles", icon=":material/add_circle:", url_path="add"),
])
widgets.sidebar()
page.run()
