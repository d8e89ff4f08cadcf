-- 0027 messages per rotation: one thread per application from `offered` on,
-- between the student, the host's coordinators, the preceptor, the coach and
-- staff. Plain text, optionally a wallet document of the sender's. Each
-- member but the sender gets an unread row per message (the read marker
-- deletes a member's rows of a thread); the digest job emails a member's
-- unread rows at most every 30 minutes (message_digests, claimed once across
-- instances).
CREATE TABLE messages (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    sender_id      TEXT NOT NULL REFERENCES users (id),
    body           TEXT NOT NULL,
    document_id    TEXT REFERENCES documents (id),
    created_at     BIGINT NOT NULL
);
-- serves: GET /api/v1/applications/{id}/messages (a thread, oldest first)
CREATE INDEX messages_by_thread ON messages (application_id, created_at);
-- serves: the sending limit (a sender's messages in the last minute)
CREATE INDEX messages_by_sender ON messages (sender_id, created_at);

CREATE TABLE message_unread (
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message_id     TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    application_id TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    emailed_at     BIGINT,
    PRIMARY KEY (user_id, application_id, message_id)
);
-- serves: the digest job (members with unread messages not yet emailed)
CREATE INDEX message_unread_to_email ON message_unread (user_id) WHERE emailed_at IS NULL;

CREATE TABLE message_digests (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sent_at BIGINT NOT NULL
);
