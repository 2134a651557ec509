-- The PMO know-how applied to an assessment (docs/know-how.md): the symptoms the PMO lead ticks in the
-- self-check, the organisation's own additions to the shipped problems, practices and roles, and two
-- Foundation facts the lead enters: the PMO's current staff by role and each stakeholder group's place on
-- the influence / support grid.

CREATE TABLE problem_symptoms (
    assessment_id INTEGER NOT NULL,
    problem       VARCHAR NOT NULL,
    symptom       VARCHAR NOT NULL,
    ticked_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (assessment_id, problem, symptom)
);

-- One YAML text per kind: entries with a new id are added to the shipped ones, entries with a shipped id
-- replace it for this assessment.
CREATE TABLE know_how_extensions (
    assessment_id INTEGER NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('problems', 'practices', 'roles')),
    text          VARCHAR NOT NULL,
    updated_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (assessment_id, kind)
);

CREATE TABLE pmo_staff (
    assessment_id INTEGER NOT NULL,
    role          VARCHAR NOT NULL,
    fte           DOUBLE NOT NULL CHECK (fte >= 0 AND fte <= 1000),
    PRIMARY KEY (assessment_id, role)
);

-- NULL influence: not entered yet; NULL support: read from the survey (where the group may be shown).
CREATE TABLE stakeholder_positions (
    assessment_id INTEGER NOT NULL,
    group_name    VARCHAR NOT NULL,
    influence     INTEGER CHECK (influence BETWEEN 1 AND 5),
    support       INTEGER CHECK (support BETWEEN 1 AND 5),
    note          VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (assessment_id, group_name)
);
