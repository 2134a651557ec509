-- The planning step of an assessment: its own copy of the catalogue (when customised), the facilitator's
-- choices among the recommendations, the roadmap settings, and entries pinned or moved to a wave.

CREATE TABLE plan_catalogues (
    assessment_id INTEGER PRIMARY KEY,
    title         VARCHAR NOT NULL,
    version       INTEGER NOT NULL,
    entries       JSON NOT NULL,               -- catalogue.Catalogue.to_records()
    updated_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE plan_choices (
    assessment_id INTEGER NOT NULL,
    item          VARCHAR NOT NULL,
    decision      VARCHAR NOT NULL CHECK (decision IN ('accepted', 'rejected')),
    reason        VARCHAR NOT NULL DEFAULT '',
    decided_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (assessment_id, item)
);

-- NULL change_budget: the default derived from the readiness-for-change reading.
CREATE TABLE plan_settings (
    assessment_id INTEGER PRIMARY KEY,
    waves         INTEGER NOT NULL CHECK (waves BETWEEN 1 AND 24),
    wave_weeks    INTEGER NOT NULL CHECK (wave_weeks BETWEEN 1 AND 104),
    capacity      DOUBLE NOT NULL CHECK (capacity > 0),
    change_budget DOUBLE CHECK (change_budget > 0),
    updated_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- kind 'pin' comes from the settings, 'move' from moving an entry on the roadmap; override marks a
-- move kept despite the problems it causes (they stay visible on the roadmap).
CREATE TABLE plan_placements (
    assessment_id INTEGER NOT NULL,
    item          VARCHAR NOT NULL,
    wave          INTEGER NOT NULL CHECK (wave >= 1),
    kind          VARCHAR NOT NULL CHECK (kind IN ('pin', 'move')),
    override      BOOLEAN NOT NULL DEFAULT false,
    updated_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (assessment_id, item)
);
