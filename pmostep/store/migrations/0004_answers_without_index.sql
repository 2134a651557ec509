-- Per-respondent tables without primary keys. DuckDB builds an ART index for a primary key, which
-- made a 100,000-respondent import spend 80 % of its write time (and 220 MB of file) on the index
-- of answers alone (measured: 4.6 s against 0.9 s for 4.8 M rows). Uniqueness is kept by the only
-- writer, pmostep.responses.add: every batch gets fresh respondent ids and is checked for repeated
-- (respondent, statement) pairs before it is written.

CREATE TABLE answers_v4 (
    respondent_id BIGINT NOT NULL,
    statement_id  VARCHAR NOT NULL,
    current       TINYINT,
    current_na    BOOLEAN NOT NULL DEFAULT false,
    desired       TINYINT,
    desired_na    BOOLEAN NOT NULL DEFAULT false,
    CHECK (NOT (current_na AND current IS NOT NULL)),
    CHECK (NOT (desired_na AND desired IS NOT NULL))
);
INSERT INTO answers_v4 SELECT respondent_id, statement_id, current, current_na, desired, desired_na FROM answers;
DROP TABLE answers;
ALTER TABLE answers_v4 RENAME TO answers;

CREATE TABLE importance_v4 (
    respondent_id BIGINT NOT NULL,
    dimension_id  VARCHAR NOT NULL,
    value         TINYINT NOT NULL
);
INSERT INTO importance_v4 SELECT respondent_id, dimension_id, value FROM importance;
DROP TABLE importance;
ALTER TABLE importance_v4 RENAME TO importance;

CREATE TABLE respondent_profile_v4 (
    respondent_id BIGINT NOT NULL,
    field         VARCHAR NOT NULL,
    value         VARCHAR NOT NULL
);
INSERT INTO respondent_profile_v4 SELECT respondent_id, field, value FROM respondent_profile;
DROP TABLE respondent_profile;
ALTER TABLE respondent_profile_v4 RENAME TO respondent_profile;
