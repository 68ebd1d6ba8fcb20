-- The distlock fencing table in standard SQL, for databases distlock has no dialect for: the
-- highest fencing token accepted per resource. Adapt the types to your database if needed and run
-- it yourself, or let distlock run it with distlock.jdbc.initialize-schema=always (it creates the
-- table only when it is missing, and replaces distlock_fence with distlock.fencing.table-name).
-- Never delete or lower a row while applications run: it is what refuses a late, stale write.
CREATE TABLE distlock_fence (
	resource_key VARCHAR(64)   NOT NULL PRIMARY KEY, -- SHA-256 of the resource name (UTF-8), hex
	resource     VARCHAR(4000) NOT NULL,             -- the resource name, for people to read
	token        BIGINT        NOT NULL              -- the highest fencing token accepted
);
