"""PMOStep: navigation and the shared frame. Pages live in pages/, the domain in pmostep/.

Every page's url_path is its file name without .py, and every page starts with
frame.require_app(): before a server's first st.navigation run, Streamlit serves a deep link
(/import_responses) from the legacy pages/ folder, by file name, running the page without this file.
"""

import streamlit as st

from ui import auth, data, frame

respondent = "t" in st.query_params     # a survey link: the respondent sees the survey and nothing else
st.set_page_config(page_title="PMO survey" if respondent else "PMOStep", page_icon=":material/stairs:",
                   layout="centered" if respondent else "wide",
                   initial_sidebar_state="collapsed" if respondent else "auto")
data.con()   # open (and on first start, create) the database before any page is resolved
frame.mark_app_run()

if respondent:
    st.navigation([st.Page("pages/survey.py", title="Survey", default=True)], position="hidden").run()
    st.stop()

auth.require_facilitator()

navigation = st.navigation(
    {
        "Foundation": [
            st.Page("pages/foundation.py", title="Foundation", icon=":material/foundation:"),
        ],
        "Initiation": [
            st.Page("pages/survey_links.py", title="Survey links", icon=":material/qr_code_2:"),
            st.Page("pages/import_responses.py", title="Import responses", icon=":material/upload_file:"),
        ],
        "Planning": [
            st.Page("pages/overview.py", title="Overview", icon=":material/insights:", default=True),
            st.Page("pages/current_state.py", title="Current state", icon=":material/radar:"),
            st.Page("pages/gaps.py", title="Gaps and priorities", icon=":material/low_priority:"),
            st.Page("pages/agreement.py", title="Agreement", icon=":material/diversity_3:"),
            st.Page("pages/stakeholder_groups.py", title="Stakeholder groups", icon=":material/groups:"),
            st.Page("pages/comments.py", title="Comments", icon=":material/forum:"),
            st.Page("pages/trend.py", title="Trend", icon=":material/trending_up:"),
            st.Page("pages/recommendations.py", title="Recommendations", icon=":material/recommend:"),
        ],
        "Deployment": [
            st.Page("pages/roadmap.py", title="Roadmap", icon=":material/view_timeline:"),
        ],
        "Products and services": [
            st.Page("pages/catalogue.py", title="Catalogue", icon=":material/inventory_2:"),
        ],
    },
    expanded=True,      # every page in view: a facilitator moves between them in front of a room
)
frame.assessment_selector()
navigation.run()
