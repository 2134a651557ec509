-- The assessment spine: questionnaires, assessments (Foundation facts), respondents and their answers.

CREATE TABLE questionnaires (
    id          VARCHAR NOT NULL,
    version     INTEGER NOT NULL,
    title       VARCHAR NOT NULL,
    definition  JSON NOT NULL,          -- the validated YAML as JSON, so old versions stay readable
    digest      VARCHAR NOT NULL,       -- sha256 of the definition: a changed text needs a new version
    loaded_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (id, version)
);

-- One row per statement, so scoring can join answers to dimensions in SQL.
CREATE TABLE questionnaire_statements (
    questionnaire_id      VARCHAR NOT NULL,
    questionnaire_version INTEGER NOT NULL,
    statement_id          VARCHAR NOT NULL,
    dimension_id          VARCHAR NOT NULL,
    position              INTEGER NOT NULL,
    PRIMARY KEY (questionnaire_id, questionnaire_version, statement_id)
);

CREATE SEQUENCE assessment_id_seq START 1;
CREATE TABLE assessments (
    id                    INTEGER PRIMARY KEY DEFAULT nextval('assessment_id_seq'),
    slug                  VARCHAR NOT NULL UNIQUE,
    name                  VARCHAR NOT NULL,
    organisation          VARCHAR NOT NULL DEFAULT '',
    pmo_scope             VARCHAR NOT NULL DEFAULT 'enterprise',
    sponsor_name          VARCHAR NOT NULL DEFAULT '',
    sponsor_role          VARCHAR NOT NULL DEFAULT '',
    customers             VARCHAR NOT NULL DEFAULT '',
    pmo_type              VARCHAR,
    mission               VARCHAR NOT NULL DEFAULT '',
    status                VARCHAR NOT NULL DEFAULT 'open',
    questionnaire_id      VARCHAR NOT NULL,
    questionnaire_version INTEGER NOT NULL,
    min_group_size        INTEGER NOT NULL DEFAULT 5 CHECK (min_group_size >= 1),
    start_date            DATE,
    end_date              DATE,
    created_at            TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at            TIMESTAMP NOT NULL DEFAULT current_timestamp,
    CHECK (status IN ('draft', 'open', 'closed', 'archived'))
);

-- Stakeholder groups of an assessment with the number of people invited in each.
CREATE TABLE stakeholder_groups (
    assessment_id INTEGER NOT NULL,
    name          VARCHAR NOT NULL,
    invited       INTEGER NOT NULL DEFAULT 0 CHECK (invited >= 0),
    position      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (assessment_id, name)
);

CREATE SEQUENCE respondent_id_seq START 1;
CREATE TABLE respondents (
    id                    BIGINT PRIMARY KEY,
    assessment_id         INTEGER NOT NULL,
    questionnaire_version INTEGER NOT NULL,
    source                VARCHAR NOT NULL,    -- 'survey', 'demo', 'import:<platform>', ...
    external_id           VARCHAR,             -- the platform's respondent id, where there is one
    started_at            TIMESTAMP,
    completed_at          TIMESTAMP,           -- NULL while a survey is in progress: not scored
    created_at            TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Profile answers in long form, so any profile field can be used for a breakdown.
CREATE TABLE respondent_profile (
    respondent_id BIGINT NOT NULL,
    field         VARCHAR NOT NULL,
    value         VARCHAR NOT NULL,
    PRIMARY KEY (respondent_id, field)
);

-- current/desired hold 1..5; *_na marks an explicit "Don't know / not applicable".
-- A NULL value with *_na false is a blank (not answered). Both are excluded from scores.
CREATE TABLE answers (
    respondent_id BIGINT NOT NULL,
    statement_id  VARCHAR NOT NULL,
    current       TINYINT,
    current_na    BOOLEAN NOT NULL DEFAULT false,
    desired       TINYINT,
    desired_na    BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (respondent_id, statement_id),
    CHECK (NOT (current_na AND current IS NOT NULL)),
    CHECK (NOT (desired_na AND desired IS NOT NULL))
);

CREATE TABLE importance (
    respondent_id BIGINT NOT NULL,
    dimension_id  VARCHAR NOT NULL,
    value         TINYINT NOT NULL,
    PRIMARY KEY (respondent_id, dimension_id)
);

CREATE TABLE comments (
    respondent_id BIGINT NOT NULL,
    question_id   VARCHAR NOT NULL,
    text          VARCHAR NOT NULL,
    PRIMARY KEY (respondent_id, question_id)
);

CREATE INDEX respondents_assessment ON respondents (assessment_id);
