-- Imports of survey exports: one batch per file, so an import can be listed and undone.

CREATE SEQUENCE import_batch_id_seq START 1;
CREATE TABLE import_batches (
    id                INTEGER PRIMARY KEY DEFAULT nextval('import_batch_id_seq'),
    assessment_id     INTEGER NOT NULL,
    file_name         VARCHAR NOT NULL,
    file_sha256       VARCHAR NOT NULL,
    platform          VARCHAR NOT NULL,
    rows_read         INTEGER NOT NULL,
    respondents_added INTEGER NOT NULL,
    duplicates        INTEGER NOT NULL DEFAULT 0,
    skipped           INTEGER NOT NULL DEFAULT 0,
    imported_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    undone_at         TIMESTAMP
);

ALTER TABLE respondents ADD COLUMN import_batch_id INTEGER;
