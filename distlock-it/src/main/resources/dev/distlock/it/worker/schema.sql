-- The fenced ledger every worker writes (on a database the suite never faults): one counter row per
-- lock, a row per accepted write, a row per write the fence refused. Lock ids carry the run's name.
CREATE TABLE IF NOT EXISTS it_counter (
    resource VARCHAR(200) NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS it_write (
    id BIGSERIAL PRIMARY KEY,
    resource VARCHAR(200) NOT NULL,
    token BIGINT NOT NULL,
    value_before BIGINT NOT NULL,
    worker VARCHAR(100) NOT NULL,
    late BOOLEAN NOT NULL,
    written_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS it_write_resource ON it_write (resource, id);
CREATE TABLE IF NOT EXISTS it_refusal (
    resource VARCHAR(200) NOT NULL,
    token BIGINT NOT NULL,
    stored_token BIGINT NOT NULL,
    worker VARCHAR(100) NOT NULL,
    late BOOLEAN NOT NULL,
    refused_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS it_refusal_resource ON it_refusal (resource);
