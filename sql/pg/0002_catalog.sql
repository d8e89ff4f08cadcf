-- 0002 catalog (PostgreSQL twin of sql/sqlite/0002_catalog.sql): reference data, sites, preceptors, offerings, blocks, the
-- change feed that keeps every instance's search index current, and full text.

CREATE TABLE specialties (
    slug                TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    residency_specialty TEXT NOT NULL
);

CREATE TABLE us_states (
    code      TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    time_zone TEXT NOT NULL
);

CREATE TABLE sites (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name            TEXT NOT NULL,
    address         TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL,
    state           TEXT NOT NULL REFERENCES us_states (code),
    zip             TEXT NOT NULL,
    time_zone       TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
-- serves: a host's sites
CREATE INDEX sites_by_organization ON sites (organization_id, id);

CREATE TABLE preceptors (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    user_id         TEXT REFERENCES users (id),
    name            TEXT NOT NULL,
    email           TEXT NOT NULL,
    npi             TEXT NOT NULL UNIQUE,
    specialty       TEXT NOT NULL REFERENCES specialties (slug),
    license_state   TEXT NOT NULL REFERENCES us_states (code),
    license_number  TEXT NOT NULL,
    license_expires TEXT,
    board_status    TEXT NOT NULL DEFAULT 'certified' CHECK (board_status IN ('certified', 'eligible', 'not_certified')),
    verified        INTEGER NOT NULL DEFAULT 0,
    verified_at     BIGINT,
    created_at      BIGINT NOT NULL
);
-- serves: a host's preceptors
CREATE INDEX preceptors_by_organization ON preceptors (organization_id, id);
-- serves: the offerings a signed-in preceptor precepts
CREATE INDEX preceptors_by_user ON preceptors (user_id);

CREATE TABLE offerings (
    id                         TEXT PRIMARY KEY,
    organization_id            TEXT NOT NULL REFERENCES organizations (id),
    site_id                    TEXT NOT NULL REFERENCES sites (id),
    preceptor_id               TEXT NOT NULL REFERENCES preceptors (id),
    title                      TEXT NOT NULL,
    specialty                  TEXT NOT NULL REFERENCES specialties (slug),
    kind                       TEXT NOT NULL CHECK (kind IN ('hands_on', 'observership', 'research', 'telehealth')),
    setting                    TEXT NOT NULL CHECK (setting IN ('inpatient', 'outpatient', 'mixed')),
    weeks                      INTEGER NOT NULL CHECK (weeks BETWEEN 1 AND 52),
    hours_per_week             INTEGER NOT NULL DEFAULT 40,
    tuition_cents              INTEGER NOT NULL CHECK (tuition_cents BETWEEN 0 AND 10000000),
    application_fee_cents      INTEGER NOT NULL DEFAULT 0,
    deposit_cents              INTEGER NOT NULL DEFAULT 0,
    students_allowed           INTEGER NOT NULL DEFAULT 1,
    graduates_allowed          INTEGER NOT NULL DEFAULT 1,
    step1_required             INTEGER NOT NULL DEFAULT 0,
    max_years_since_graduation INTEGER,              -- NULL: no limit
    visa_kinds                 TEXT NOT NULL DEFAULT '', -- comma-separated visa kinds accepted; '' = any
    english_proof_required     INTEGER NOT NULL DEFAULT 0,
    lor_customary              INTEGER NOT NULL DEFAULT 0,
    description                TEXT NOT NULL DEFAULT '',
    first_day                  TEXT NOT NULL DEFAULT '',
    cancellation_policy        TEXT NOT NULL DEFAULT '',
    requirements               TEXT NOT NULL DEFAULT '', -- comma-separated document kinds asked before the start
    status                     TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'archived')),
    created_at                 BIGINT NOT NULL,
    updated_at                 BIGINT NOT NULL
);
-- serves: a host's offerings
CREATE INDEX offerings_by_organization ON offerings (organization_id, id);
-- serves: a preceptor's offerings
CREATE INDEX offerings_by_preceptor ON offerings (preceptor_id);

CREATE TABLE blocks (
    id          TEXT PRIMARY KEY,
    offering_id TEXT NOT NULL REFERENCES offerings (id),
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    seats       INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 100),
    seats_taken INTEGER NOT NULL DEFAULT 0 CHECK (seats_taken >= 0 AND seats_taken <= seats),
    created_at  BIGINT NOT NULL,
    CHECK (end_date > start_date)
);
-- serves: an offering's blocks in date order
CREATE INDEX blocks_by_offering ON blocks (offering_id, start_date);

-- Every change that a search index must see (offering or block written, seats
-- taken or freed) appends a row; each instance replays rows past its last seq.
CREATE TABLE catalog_changes (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    offering_id TEXT NOT NULL,
    at          BIGINT NOT NULL
);
-- serves: pruning old changes by time
CREATE INDEX catalog_changes_by_time ON catalog_changes (at);

-- Full text over title, description, specialty, host, city and preceptor
-- ('simple' configuration with prefix queries, as the SQLite backend does).
CREATE TABLE offering_search (
    offering_id TEXT PRIMARY KEY REFERENCES offerings (id),
    document    TSVECTOR NOT NULL
);
-- serves: q= full-text search
CREATE INDEX offering_search_document ON offering_search USING GIN (document);

-- reference data (generated by tools/gen_reference.sh from shared/data)
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('anesthesiology', 'Anesthesiology', 'Anesthesiology');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('cardiology', 'Cardiology', 'Internal Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('child-neurology', 'Child Neurology', 'Child Neurology');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('critical-care', 'Pulmonary and Critical Care Medicine', 'Internal Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('dermatology', 'Dermatology', 'Dermatology');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('diagnostic-radiology', 'Diagnostic Radiology', 'Diagnostic Radiology');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('emergency-medicine', 'Emergency Medicine', 'Emergency Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('endocrinology', 'Endocrinology', 'Internal Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('family-medicine', 'Family Medicine', 'Family Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('gastroenterology', 'Gastroenterology', 'Internal Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('general-surgery', 'General Surgery', 'Surgery');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('geriatrics', 'Geriatric Medicine', 'Internal Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('hematology-oncology', 'Hematology and Oncology', 'Internal Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('hospital-medicine', 'Hospital Medicine', 'Internal Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('infectious-disease', 'Infectious Disease', 'Internal Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('internal-medicine', 'Internal Medicine', 'Internal Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('internal-medicine-pediatrics', 'Internal Medicine-Pediatrics', 'Internal Medicine-Pediatrics');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('interventional-radiology', 'Interventional Radiology', 'Interventional Radiology');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('medical-genetics', 'Medical Genetics and Genomics', 'Medical Genetics and Genomics');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('nephrology', 'Nephrology', 'Internal Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('neurological-surgery', 'Neurological Surgery', 'Neurological Surgery');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('neurology', 'Neurology', 'Neurology');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('nuclear-medicine', 'Nuclear Medicine', 'Nuclear Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('obstetrics-gynecology', 'Obstetrics and Gynecology', 'Obstetrics and Gynecology');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('ophthalmology', 'Ophthalmology', 'Ophthalmology');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('orthopaedic-surgery', 'Orthopaedic Surgery', 'Orthopaedic Surgery');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('otolaryngology', 'Otolaryngology-Head and Neck Surgery', 'Otolaryngology');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('pathology', 'Pathology', 'Pathology');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('pediatrics', 'Pediatrics', 'Pediatrics');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('physical-medicine-rehabilitation', 'Physical Medicine and Rehabilitation', 'Physical Medicine and Rehabilitation');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('plastic-surgery', 'Plastic Surgery', 'Plastic Surgery');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('psychiatry', 'Psychiatry', 'Psychiatry');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('pulmonology', 'Pulmonology', 'Internal Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('radiation-oncology', 'Radiation Oncology', 'Radiation Oncology');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('rheumatology', 'Rheumatology', 'Internal Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('sports-medicine', 'Sports Medicine', 'Family Medicine');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('thoracic-surgery', 'Thoracic Surgery', 'Thoracic Surgery');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('urology', 'Urology', 'Urology');
INSERT INTO specialties (slug, name, residency_specialty) VALUES ('vascular-surgery', 'Vascular Surgery', 'Vascular Surgery');
INSERT INTO us_states (code, name, time_zone) VALUES ('AL', 'Alabama', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('AK', 'Alaska', 'America/Anchorage');
INSERT INTO us_states (code, name, time_zone) VALUES ('AZ', 'Arizona', 'America/Phoenix');
INSERT INTO us_states (code, name, time_zone) VALUES ('AR', 'Arkansas', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('CA', 'California', 'America/Los_Angeles');
INSERT INTO us_states (code, name, time_zone) VALUES ('CO', 'Colorado', 'America/Denver');
INSERT INTO us_states (code, name, time_zone) VALUES ('CT', 'Connecticut', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('DE', 'Delaware', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('DC', 'District of Columbia', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('FL', 'Florida', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('GA', 'Georgia', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('HI', 'Hawaii', 'Pacific/Honolulu');
INSERT INTO us_states (code, name, time_zone) VALUES ('ID', 'Idaho', 'America/Boise');
INSERT INTO us_states (code, name, time_zone) VALUES ('IL', 'Illinois', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('IN', 'Indiana', 'America/Indiana/Indianapolis');
INSERT INTO us_states (code, name, time_zone) VALUES ('IA', 'Iowa', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('KS', 'Kansas', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('KY', 'Kentucky', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('LA', 'Louisiana', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('ME', 'Maine', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('MD', 'Maryland', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('MA', 'Massachusetts', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('MI', 'Michigan', 'America/Detroit');
INSERT INTO us_states (code, name, time_zone) VALUES ('MN', 'Minnesota', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('MS', 'Mississippi', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('MO', 'Missouri', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('MT', 'Montana', 'America/Denver');
INSERT INTO us_states (code, name, time_zone) VALUES ('NE', 'Nebraska', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('NV', 'Nevada', 'America/Los_Angeles');
INSERT INTO us_states (code, name, time_zone) VALUES ('NH', 'New Hampshire', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('NJ', 'New Jersey', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('NM', 'New Mexico', 'America/Denver');
INSERT INTO us_states (code, name, time_zone) VALUES ('NY', 'New York', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('NC', 'North Carolina', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('ND', 'North Dakota', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('OH', 'Ohio', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('OK', 'Oklahoma', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('OR', 'Oregon', 'America/Los_Angeles');
INSERT INTO us_states (code, name, time_zone) VALUES ('PA', 'Pennsylvania', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('RI', 'Rhode Island', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('SC', 'South Carolina', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('SD', 'South Dakota', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('TN', 'Tennessee', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('TX', 'Texas', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('UT', 'Utah', 'America/Denver');
INSERT INTO us_states (code, name, time_zone) VALUES ('VT', 'Vermont', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('VA', 'Virginia', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('WA', 'Washington', 'America/Los_Angeles');
INSERT INTO us_states (code, name, time_zone) VALUES ('WV', 'West Virginia', 'America/New_York');
INSERT INTO us_states (code, name, time_zone) VALUES ('WI', 'Wisconsin', 'America/Chicago');
INSERT INTO us_states (code, name, time_zone) VALUES ('WY', 'Wyoming', 'America/Cheyenne');
INSERT INTO us_states (code, name, time_zone) VALUES ('PR', 'Puerto Rico', 'America/Puerto_Rico');
-- end of reference data
