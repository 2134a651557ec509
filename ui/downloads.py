"""Table downloads: every CSV a page offers is written by pmostep.core.safe_cells: none runs as a formula."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmostep.core import safe_cells


def csv_button(label: str, table: pd.DataFrame, file_name: str, key: str | None = None,
               index: bool = False) -> None:
    """A button that downloads the table as CSV, text a spreadsheet would run quoted (docs in safe_cells)."""
    st.download_button(label, data=safe_cells.csv_bytes(table, index=index), file_name=file_name,
                       mime="text/csv", key=key, on_click="ignore")
