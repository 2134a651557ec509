"""Charts and tables as every page shows them, each with the CSV download of the figures behind it."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from . import downloads

# Plotly's toolbar keeps its buttons (zoom, download as PNG) but not the Plotly logo.
CHART_CONFIG = {"displaylogo": False}


class Csv(NamedTuple):
    """A CSV download: the button's label, the file's name, the button's widget key, and whether the
    table's index is a column of the file."""

    label: str
    file_name: str
    key: str | None = None
    index: bool = False

    def button(self, table: pd.DataFrame) -> None:
        downloads.csv_button(self.label, table, self.file_name, key=self.key, index=self.index)


def chart(figure: go.Figure, key: str, data: pd.DataFrame | None = None, csv: Csv | None = None,
          **selection) -> None:
    """A Plotly chart, and below it the download of `data` (the figures it draws) when `csv` is given.

    `selection` takes st.plotly_chart's on_select and selection_mode, for charts a click acts on.
    """
    st.plotly_chart(figure, key=key, config=CHART_CONFIG, **selection)
    if csv is not None:
        csv.button(data)


def table(frame: pd.DataFrame, key: str, csv: Csv, **options) -> None:
    """A table without its index, and below it the download of the same rows and columns.

    `options` are st.dataframe's (height, column_config, ...).
    """
    st.dataframe(frame, hide_index=True, key=key, **options)
    csv.button(frame)
