"""What pages and downloads show: score tables and Plotly figures, built from data without Streamlit."""
