"""Streamlit glue: the cached database connection and cached loaders that the pages share."""
