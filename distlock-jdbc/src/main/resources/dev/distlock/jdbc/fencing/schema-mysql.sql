-- The distlock fencing table for MySQL and MariaDB: the highest fencing token accepted per resource.
-- distlock runs this itself with distlock.jdbc.initialize-schema=always (and replaces the table
-- name distlock_fence with distlock.fencing.table-name); run it yourself otherwise.
-- Never delete or lower a row while applications run: it is what refuses a late, stale write.
CREATE TABLE IF NOT EXISTS distlock_fence (
	resource_key CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY, -- SHA-256 of the resource name (UTF-8), hex
	resource     TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,             -- the resource name, for people to read
	token        BIGINT                                         NOT NULL              -- the highest fencing token accepted
) ENGINE = InnoDB;
