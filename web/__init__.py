"""The HTTP glue for phones (docs/workshop.md, "Parts"): Starlette routes, never Streamlit's script API.

phone   the join page, its assets, join and answer by POST, the workshop's state and its changes as
        server-sent events
static  the phone page: plain HTML, CSS and a little JavaScript, shipped with the project
"""
