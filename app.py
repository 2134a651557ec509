"""PMOStep: navigation and the shared frame. Pages live in views/, the domain in pmostep/.

This file is the only way into a page: every page is an st.Page of the st.navigation below, reached
only after the sign-in. The folder must not be called pages/: Streamlit would then list its files in
the sidebar and run them directly, without this file, until the first st.navigation call of the server
(its legacy multipage mode); tests/app/test_app.py guards this. Every page's url_path is its file name.

`streamlit run app.py` imports this file first and serves its `app` (st.App): the server, with a health
check that fails while the database cannot be opened (ui/service.py). Then every visit runs main().
"""

import streamlit as st

from ui import auth, data, frame, service
from web import phone


def main() -> None:
    """One run of the app for a visitor: the survey for a link, else the sign-in and the pages."""
    respondent = "t" in st.query_params     # a survey link: the respondent sees the survey and nothing else
    st.set_page_config(page_title="PMO survey" if respondent else "PMOStep", page_icon=":material/stairs:",
                       layout="centered" if respondent else "wide",
                       initial_sidebar_state="collapsed" if respondent else "auto")
    problem = data.database_problem()    # open (on first start, create) the database before any page
    if problem:
        frame.unavailable(problem, respondent)
        return

    if respondent:
        st.navigation([st.Page("views/survey.py", title="Survey", default=True)], position="hidden").run()
        return

    facilitator = auth.facilitator()      # draws the sign-in when the visitor may not pass
    # Registered before the sign-in too, unlisted: a deep link (/foundation) opens its page once signed in.
    navigation = st.navigation(
        {
            "Foundation": [
                st.Page("views/foundation.py", title="Foundation", icon=":material/foundation:"),
                st.Page("views/stakeholder_map.py", title="Stakeholder map", icon=":material/hub:"),
            ],
            "Initiation": [
                st.Page("views/survey_links.py", title="Survey links", icon=":material/qr_code_2:"),
                st.Page("views/import_responses.py", title="Import responses", icon=":material/upload_file:"),
            ],
            "Planning": [
                st.Page("views/overview.py", title="Overview", icon=":material/insights:", default=True),
                st.Page("views/current_state.py", title="Current state", icon=":material/radar:"),
                st.Page("views/gaps.py", title="Gaps and priorities", icon=":material/low_priority:"),
                st.Page("views/agreement.py", title="Agreement", icon=":material/diversity_3:"),
                st.Page("views/stakeholder_groups.py", title="Stakeholder groups", icon=":material/groups:"),
                st.Page("views/comments.py", title="Comments", icon=":material/forum:"),
                st.Page("views/trend.py", title="Trend", icon=":material/trending_up:"),
                st.Page("views/recommendations.py", title="Recommendations", icon=":material/recommend:"),
            ],
            "Deployment": [
                st.Page("views/roadmap.py", title="Roadmap", icon=":material/view_timeline:"),
                st.Page("views/reports.py", title="Reports", icon=":material/description:"),
            ],
            "Workshop": [
                st.Page("views/workshop_agenda.py", title="Agenda", icon=":material/format_list_numbered:"),
                st.Page("views/workshop_console.py", title="Console", icon=":material/tune:"),
                st.Page("views/workshop_projector.py", title="Projector", icon=":material/co_present:"),
                st.Page("views/workshop_results.py", title="Workshop results", icon=":material/table_chart:"),
            ],
            "Products and services": [
                st.Page("views/catalogue.py", title="Catalogue", icon=":material/inventory_2:"),
            ],
            "PMO know-how": [
                st.Page("views/problems.py", title="Problems", icon=":material/troubleshoot:"),
                st.Page("views/practices.py", title="Best practices", icon=":material/tips_and_updates:"),
                st.Page("views/roles.py", title="PMO roles", icon=":material/badge:"),
                st.Page("views/staffing.py", title="Roles and staffing", icon=":material/group_work:"),
            ],
        },
        position="sidebar" if facilitator else "hidden",
        expanded=True,      # every page in view: a facilitator moves between them in front of a room
    )
    if not facilitator:
        return
    frame.assessment_selector()
    navigation.run()


if __name__ == "__main__":           # a visitor's run: Streamlit runs this file as the script "__main__"
    main()
else:                                # `streamlit run app.py` (or an ASGI server) importing it to serve it
    app = st.App(__file__, middleware=service.middleware(), routes=phone.routes(data.con))
