"""PMOStep: navigation and the shared frame. Pages live in pages/, the domain in pmostep/."""

import streamlit as st

from ui import frame

st.set_page_config(page_title="PMOStep", page_icon=":material/stairs:", layout="wide")

navigation = st.navigation(
    {
        "Planning": [
            st.Page("pages/overview.py", title="Overview", icon=":material/insights:", default=True),
        ],
    }
)
frame.assessment_selector()
navigation.run()
