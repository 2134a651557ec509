"""PMO roles: who a PMO needs, what each role does, which catalogue entries need it and which PMO types."""

import pandas as pd
import streamlit as st

from pmostep.core import docs
from pmostep.core.pmo_types import PMO_TYPES
from pmostep.products import roles
from pmostep.reports import charts, tables
from ui import data, frame
from ui.figures import Csv, chart, table

assessment, q, k = frame.know_how_page("PMO roles")
cat, customised = data.catalogue_of(assessment)
needed = {r.id: [e.name for e in roles.needed_by(r.id, cat.entries)] for r in k.roles}
type_names = {t: text.split(":")[0] for t, text in PMO_TYPES.items()}

which = "this assessment's customised" if customised else "the"
own = " (this assessment's own included)" if data.know_how_extended(assessment, "roles") else ""
st.caption(f"{len(k.roles)} roles{own}, and the entries of {which} catalogue that need each one. In the "
           "roadmap, an entry's effort is shared equally by the roles it names.")
counts = pd.DataFrame({"Role": [r.name for r in k.roles], "Entries": [len(needed[r.id]) for r in k.roles]}
                      ).sort_values("Entries", ascending=False, kind="stable")
chart(charts.counts_bar(counts, "Role", "Entries", "Catalogue entries that need each PMO role",
                        "Catalogue entries that name the role"),
      "roles_chart", data=counts, csv=Csv("Download these counts (CSV)", "pmo-role-entries.csv",
                                          "roles_chart_csv"))

for r in k.roles:
    with st.expander(f"**{r.name}** · {r.grade}"):
        st.markdown(r.purpose)
        left, right = st.columns(2)
        left.markdown("**Responsibilities**\n" + "\n".join(f"- {x}" for x in r.responsibilities))
        right.markdown("**Skills**\n" + "\n".join(f"- {x}" for x in r.skills))
        st.markdown("**PMO types that need it:** " + "; ".join(f"{t} {type_names[t]}" for t in r.pmo_types))
        st.markdown(("**Catalogue entries that need it:** " + "; ".join(needed[r.id])) if needed[r.id]
                    else "No catalogue entry names this role.")

st.subheader("Every role at a glance")
table(tables.roles_table(k.roles, needed, list(PMO_TYPES)), "roles_table",
      Csv("Download the roles (CSV)", "pmo-roles.csv", "roles_csv"))
with st.expander("Where the roles come from"):
    st.markdown(docs.section("know-how", "PMO roles"))
