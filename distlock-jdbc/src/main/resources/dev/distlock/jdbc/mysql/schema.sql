-- Schema of the 'mysql' lock provider (MySQL 5.7+ / MariaDB 10.2+). Idempotent.
-- One row per lock name ever granted: the name's fencing counter and its latest holder. The counter
-- only grows, so a lock's tokens strictly increase across releases, crashes and restarts; this is why
-- rows are never deleted (one small row per distinct lock id, like the jdbc-table provider).
-- holder_connection is the CONNECTION_ID() of the grant: the row tells the holder only while
-- IS_USED_LOCK(lock_name) still returns that connection.
CREATE TABLE IF NOT EXISTS distlock_named_locks (
	lock_name VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	lock_id BLOB NOT NULL,
	owner TEXT NOT NULL,
	fencing_token BIGINT NOT NULL,
	holder_connection BIGINT UNSIGNED NOT NULL,
	acquired_at DATETIME(6) NOT NULL,
	PRIMARY KEY (lock_name)
) ENGINE = InnoDB;
