-- The distlock fencing table for PostgreSQL: the highest fencing token accepted per resource.
-- distlock runs this itself with distlock.jdbc.initialize-schema=always (and replaces the table
-- name distlock_fence with distlock.fencing.table-name); run it yourself otherwise.
-- Never delete or lower a row while applications run: it is what refuses a late, stale write.
CREATE TABLE IF NOT EXISTS distlock_fence (
	resource_key VARCHAR(64) NOT NULL PRIMARY KEY, -- SHA-256 of the resource name (UTF-8), hex
	resource     TEXT        NOT NULL,             -- the resource name, for people to read
	token        BIGINT      NOT NULL              -- the highest fencing token accepted
);
