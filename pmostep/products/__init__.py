"""Products and services: the catalogue of what a PMO can roll out."""
