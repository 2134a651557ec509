-- Workshop mode (docs/workshop.md): live sessions of an assessment, their agenda of activities, rounds,
-- the participants (phones, known by a token kept only as its SHA-256), their answers (append-only: the
-- latest row of a participant in a round counts) and the facilitator's moderation of open texts.

CREATE SEQUENCE workshop_id_seq START 1;
CREATE TABLE workshops (
    id                  INTEGER PRIMARY KEY DEFAULT nextval('workshop_id_seq'),
    assessment_id       INTEGER NOT NULL,
    title               VARCHAR NOT NULL,
    code                VARCHAR NOT NULL,          -- the join code: 6 characters, no 0/O/1/I
    status              VARCHAR NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'ended')),
    current_activity_id INTEGER,                   -- what the phones show now
    version             INTEGER NOT NULL DEFAULT 0,   -- bumped by every facilitator write (the stamp)
    created_at          TIMESTAMP NOT NULL DEFAULT current_timestamp,
    ended_at            TIMESTAMP
);

CREATE SEQUENCE workshop_activity_id_seq START 1;
CREATE TABLE workshop_activities (
    id          INTEGER PRIMARY KEY DEFAULT nextval('workshop_activity_id_seq'),
    workshop_id INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    kind        VARCHAR NOT NULL
                CHECK (kind IN ('recap', 'rating', 'ranking', 'points', 'dots', 'matrix', 'text')),
    title       VARCHAR NOT NULL,
    item_kind   VARCHAR CHECK (item_kind IN ('dimension', 'statement', 'entry')),
    items       JSON NOT NULL,                     -- [{"id", "label"}] in the facilitator's order
    settings    JSON NOT NULL,
    notes       VARCHAR NOT NULL DEFAULT '',
    why         VARCHAR NOT NULL DEFAULT ''
);

-- A round is open until locked_at, or until closes_at when a countdown runs; revealed_at: shown.
CREATE TABLE workshop_rounds (
    activity_id INTEGER NOT NULL,
    number      INTEGER NOT NULL CHECK (number >= 1),
    opened_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    closes_at   TIMESTAMP,
    locked_at   TIMESTAMP,
    revealed_at TIMESTAMP,
    PRIMARY KEY (activity_id, number)
);

CREATE SEQUENCE workshop_participant_id_seq START 1;
CREATE TABLE workshop_participants (
    id          INTEGER PRIMARY KEY DEFAULT nextval('workshop_participant_id_seq'),
    workshop_id INTEGER NOT NULL,
    token_hash  VARCHAR NOT NULL UNIQUE,           -- sha256 of the phone's token; the token is never kept
    grp         VARCHAR,                           -- one of the assessment's stakeholder groups, or none
    joined_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE workshop_answer_id_seq START 1;
CREATE TABLE workshop_answers (
    id             BIGINT PRIMARY KEY DEFAULT nextval('workshop_answer_id_seq'),
    workshop_id    INTEGER NOT NULL,
    activity_id    INTEGER NOT NULL,
    round          INTEGER NOT NULL,
    participant_id INTEGER NOT NULL,
    grp            VARCHAR,                        -- the participant's group when it answered (kept: a
                                                   -- later change of group never rewrites a round)
    answer         JSON NOT NULL,                  -- as activities.check_answer returned it
    request_id     VARCHAR NOT NULL,               -- made by the phone: a repeated request is stored once
    created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (participant_id, request_id)
);

-- Append-only too: the latest decision on an answer counts.
CREATE SEQUENCE workshop_moderation_id_seq START 1;
CREATE TABLE workshop_moderation (
    id         BIGINT PRIMARY KEY DEFAULT nextval('workshop_moderation_id_seq'),
    answer_id  BIGINT NOT NULL,
    approved   BOOLEAN NOT NULL,
    decided_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
