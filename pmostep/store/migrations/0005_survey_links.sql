-- Respondent survey links (one open link, personal links per invitee) and what a respondent needs to
-- resume where they stopped; follow-up assessments point to the one they follow.

CREATE TABLE survey_links (
    token         VARCHAR PRIMARY KEY,        -- unguessable (secrets.token_urlsafe)
    assessment_id INTEGER NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('open', 'personal')),
    invitee       VARCHAR,                    -- e-mail of a personal link; never shown in any result
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    revoked_at    TIMESTAMP
);

-- DuckDB refuses to alter a table that an index depends on: drop the index around the change.
DROP INDEX respondents_assessment;
ALTER TABLE respondents ADD COLUMN link_token VARCHAR;
ALTER TABLE respondents ADD COLUMN resume_token VARCHAR;
ALTER TABLE respondents ADD COLUMN progress INTEGER DEFAULT 0;
CREATE INDEX respondents_assessment ON respondents (assessment_id);
ALTER TABLE assessments ADD COLUMN previous_assessment_id INTEGER;
