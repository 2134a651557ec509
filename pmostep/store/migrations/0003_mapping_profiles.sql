-- Saved column and answer mappings for survey exports, reusable across imports.

CREATE TABLE mapping_profiles (
    name        VARCHAR PRIMARY KEY,
    platform    VARCHAR,
    columns     JSON NOT NULL,     -- header (or platform code) -> target
    answers     JSON NOT NULL,     -- answer label -> scale value or 'na'
    updated_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);
