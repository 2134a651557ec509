"""PMOStep: navigation and the shared frame. Pages live in pages/, the domain in pmostep/.

Every page's url_path is its file name without .py: before a server's first st.navigation run,
Streamlit resolves a deep link (/import_responses) from the legacy pages/ folder, by file name, and
any other url_path shows "Page not found" to the first visitor after a restart.
"""

import streamlit as st

from ui import data, frame

st.set_page_config(page_title="PMOStep", page_icon=":material/stairs:", layout="wide")
data.con()   # open (and on first start, create) the database before any page is resolved

navigation = st.navigation(
    {
        "Initiation": [
            st.Page("pages/import_responses.py", title="Import responses", icon=":material/upload_file:"),
        ],
        "Planning": [
            st.Page("pages/overview.py", title="Overview", icon=":material/insights:", default=True),
        ],
    }
)
frame.assessment_selector()
navigation.run()
