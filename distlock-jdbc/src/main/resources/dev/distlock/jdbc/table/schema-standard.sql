-- The distlock jdbc-table lease table in standard SQL, for databases distlock has no dialect for.
-- Adapt the types to your database if needed and run it yourself, or let distlock run it with
-- distlock.jdbc.initialize-schema=always (it creates the table only when it is missing, and replaces
-- the table name distlock_lock with distlock.jdbc.table-name).
-- Never delete rows while applications run: a row carries its lock's fencing-token counter.
CREATE TABLE distlock_lock (
	lock_key      VARCHAR(64)                 NOT NULL PRIMARY KEY, -- SHA-256 of the lock id (UTF-8), hex
	lock_id       VARCHAR(4000)               NOT NULL,             -- the lock id, for listings
	owner         VARCHAR(1024),                                    -- holder's owner token, NULL when free
	fencing_token BIGINT                      NOT NULL,             -- grows by one on every grant
	acquired_at   TIMESTAMP(3) WITH TIME ZONE NOT NULL,
	expires_at    TIMESTAMP(3) WITH TIME ZONE NOT NULL
);
