-- 0037 School invitations held for an address whose account has not
-- confirmed it: Rounds emails such an address nothing, so the upload keeps the
-- line here (school, address, who uploaded it, when) instead of dropping it,
-- and confirming the address sends it (domain/schools.c,
-- school_invitations_release). One hold per school and address: uploading the
-- line again refreshes it. A hold older than an invitation's life
-- (SCHOOL_INVITATION_DAYS) is not sent.
CREATE TABLE school_invitation_holds (
    id              TEXT NOT NULL UNIQUE,       -- kept when the line is uploaded again; a list's cursor names it
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    email           TEXT NOT NULL,              -- lower-cased, as the file gave it
    name            TEXT NOT NULL,
    graduation_year INTEGER,
    invited_by      TEXT NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    upload_seq      INTEGER NOT NULL,           -- the school's upload that held it last, and its line there
    upload_line     INTEGER NOT NULL,
    -- serves: uploading the line again refreshes the hold; a school's holds
    -- (store_school_holds_page, WHERE organization_id = $1)
    PRIMARY KEY (organization_id, email)
);
-- serves: store_school_holds_of_email (WHERE email = $1), when the address is confirmed
CREATE INDEX school_invitation_holds_by_email ON school_invitation_holds (email);
