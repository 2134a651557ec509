-- A personal link remembers that it was used to submit, so that the submitted answers no longer carry
-- the link (and through it the invitee's e-mail address): respondents.link_token is cleared on submit.

ALTER TABLE survey_links ADD COLUMN submitted_at TIMESTAMP;
