-- Which completed respondents are published, in which block (docs/scoring.md, "Groups and anonymity").
-- A row is written once a response has been considered: block NULL while it waits for enough others;
-- a block, once formed, never changes; withdrawn marks a block that lost a member (an undone import),
-- whose other members are never shown again.
CREATE TABLE published (
    respondent_id BIGINT PRIMARY KEY,
    assessment_id INTEGER NOT NULL,
    block         INTEGER,
    withdrawn     BOOLEAN NOT NULL DEFAULT false
);
