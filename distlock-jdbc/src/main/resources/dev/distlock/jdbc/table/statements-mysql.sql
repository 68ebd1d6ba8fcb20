-- jdbc-table statements for MySQL and MariaDB. Each statement follows a "-- name:" line and ends
-- with ";". The table name distlock_lock is replaced with distlock.jdbc.table-name. Times come from
-- the database's clock in UTC (UTC_TIMESTAMP(3), fixed for the duration of one statement), so the
-- session time zone does not matter. A row is free when its owner is NULL (released) or its lease
-- has expired.
--
-- Acquire takes two round trips in every case: take-over then select-token (a free row), take-over
-- then insert (a new lock: the token is 1), or take-over then an insert that inserts nothing (busy).
-- INSERT ... ON DUPLICATE KEY UPDATE is avoided: it can deadlock under concurrent inserts of one
-- key and cannot return the token anyway.

-- name: take-over
UPDATE distlock_lock
SET owner = :owner, fencing_token = fencing_token + 1, acquired_at = UTC_TIMESTAMP(3),
	expires_at = TIMESTAMPADD(MICROSECOND, :leaseMillis * 1000, UTC_TIMESTAMP(3))
WHERE lock_key = :lockKey AND (owner IS NULL OR expires_at <= UTC_TIMESTAMP(3));

-- name: select-token
-- Owner tokens are unique per grant, so the row's token belongs to this grant if its owner matches.
SELECT fencing_token FROM distlock_lock WHERE lock_key = :lockKey AND owner = :owner;

-- name: insert
-- IGNORE turns "duplicate key" (the lock is busy) into "0 rows" instead of an error, which the
-- MariaDB driver would log at WARN on every busy attempt. Every value here is valid for its
-- column, so IGNORE hides nothing else (an owner token over 1,024 characters would be cut).
INSERT IGNORE INTO distlock_lock (lock_key, lock_id, owner, fencing_token, acquired_at, expires_at)
VALUES (:lockKey, :lockId, :owner, 1, UTC_TIMESTAMP(3), TIMESTAMPADD(MICROSECOND, :leaseMillis * 1000, UTC_TIMESTAMP(3)));

-- name: extend
-- Counts rows matched, not changed (the drivers' default, useAffectedRows=false): an extension in
-- the same millisecond as the grant changes nothing but still matches.
UPDATE distlock_lock
SET expires_at = TIMESTAMPADD(MICROSECOND, :leaseMillis * 1000, UTC_TIMESTAMP(3))
WHERE lock_key = :lockKey AND owner = :owner AND expires_at > UTC_TIMESTAMP(3);

-- name: extend-group
-- Many leases with one lease time. lock_key IN (...) lets the primary key find the rows; the pair
-- list makes each row match its own owner.
UPDATE distlock_lock
SET expires_at = TIMESTAMPADD(MICROSECOND, :leaseMillis * 1000, UTC_TIMESTAMP(3))
WHERE lock_key IN (:lockKeys) AND (lock_key, owner) IN (:heldBy) AND expires_at > UTC_TIMESTAMP(3);

-- name: select-held
SELECT lock_key, owner FROM distlock_lock
WHERE lock_key IN (:lockKeys) AND (lock_key, owner) IN (:heldBy) AND expires_at > UTC_TIMESTAMP(3);

-- name: release
-- The row stays: it carries the fencing-token counter for the next grant.
UPDATE distlock_lock SET owner = NULL, expires_at = UTC_TIMESTAMP(3)
WHERE lock_key = :lockKey AND owner = :owner;

-- name: force-release
UPDATE distlock_lock SET owner = NULL, expires_at = UTC_TIMESTAMP(3)
WHERE lock_key = :lockKey AND owner IS NOT NULL AND expires_at > UTC_TIMESTAMP(3);

-- name: inspect
SELECT owner, fencing_token, expires_at FROM distlock_lock
WHERE lock_key = :lockKey AND owner IS NOT NULL AND expires_at > UTC_TIMESTAMP(3);

-- name: list
SELECT lock_id, owner, fencing_token, expires_at FROM distlock_lock
WHERE owner IS NOT NULL AND expires_at > UTC_TIMESTAMP(3)
ORDER BY lock_id;

-- name: health
SELECT COUNT(*) FROM distlock_lock WHERE 1 = 0;
