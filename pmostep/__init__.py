"""PMOStep domain: questionnaire, store, scoring and reports. Never imports streamlit."""

__version__ = "0.1.0"
