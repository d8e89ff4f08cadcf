-- 0005: the full-text table carries the offering id, so that a search reads
-- its matches without looking each one up in offerings.
DROP TABLE offerings_fts;
CREATE VIRTUAL TABLE offerings_fts USING fts5 (offering_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO offerings_fts (rowid, offering_id, body)
    SELECT o.rowid, o.id,
           o.title || ' ' || o.description || ' ' || sp.name || ' ' || org.name || ' ' || s.city || ' ' || p.name
    FROM offerings o JOIN specialties sp ON sp.slug = o.specialty
    JOIN organizations org ON org.id = o.organization_id JOIN sites s ON s.id = o.site_id
    JOIN preceptors p ON p.id = o.preceptor_id;
