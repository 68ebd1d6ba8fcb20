-- The distlock jdbc-table lease table for MySQL and MariaDB: one row per lock id ever used.
-- distlock runs this itself with distlock.jdbc.initialize-schema=always (and replaces the table
-- name distlock_lock with distlock.jdbc.table-name); run it yourself otherwise.
-- Never delete rows while applications run: a row carries its lock's fencing-token counter.
-- Times are UTC (UTC_TIMESTAMP), whatever the session time zone.
CREATE TABLE IF NOT EXISTS distlock_lock (
	lock_key      CHAR(64) CHARACTER SET ascii COLLATE ascii_bin          NOT NULL PRIMARY KEY, -- SHA-256 of the lock id (UTF-8), hex
	lock_id       TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin          NOT NULL,             -- the lock id, for listings
	owner         VARCHAR(1024) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,                      -- holder's owner token, NULL when free
	fencing_token BIGINT                                                  NOT NULL,             -- grows by one on every grant
	acquired_at   DATETIME(3)                                             NOT NULL,
	expires_at    DATETIME(3)                                             NOT NULL
) ENGINE = InnoDB;
