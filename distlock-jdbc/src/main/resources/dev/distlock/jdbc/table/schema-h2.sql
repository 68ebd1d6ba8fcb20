-- The distlock jdbc-table lease table for H2: one row per lock id ever used.
-- distlock runs this itself with distlock.jdbc.initialize-schema=always or embedded (and replaces
-- the table name distlock_lock with distlock.jdbc.table-name); run it yourself otherwise.
-- Never delete rows while applications run: a row carries its lock's fencing-token counter.
CREATE TABLE IF NOT EXISTS distlock_lock (
	lock_key      CHARACTER VARYING(64)       NOT NULL PRIMARY KEY, -- SHA-256 of the lock id (UTF-8), hex
	lock_id       CHARACTER VARYING           NOT NULL,             -- the lock id, for listings
	owner         CHARACTER VARYING(1024),                          -- holder's owner token, NULL when free
	fencing_token BIGINT                      NOT NULL,             -- grows by one on every grant
	acquired_at   TIMESTAMP(3) WITH TIME ZONE NOT NULL,
	expires_at    TIMESTAMP(3) WITH TIME ZONE NOT NULL
);
