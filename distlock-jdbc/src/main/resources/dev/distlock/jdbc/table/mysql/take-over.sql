-- jdbc-table on MySQL and MariaDB. Times come from the database's clock in UTC (UTC_TIMESTAMP(3),
-- fixed for the duration of one statement), so the session time zone does not matter. A row is free
-- when its owner is NULL (released) or its lease has expired. Statements missing here
-- (select-token, health) are the standard ones in ../standard/.
--
-- Acquire takes two round trips in every case: take-over then select-token (a free row), take-over
-- then insert (a new lock: the token is 1), or take-over then an insert that inserts nothing (busy).
-- INSERT ... ON DUPLICATE KEY UPDATE is avoided: it can deadlock under concurrent inserts of one
-- key and cannot return the token anyway.
UPDATE distlock_lock
SET owner = :owner, fencing_token = fencing_token + 1, acquired_at = UTC_TIMESTAMP(3),
	expires_at = TIMESTAMPADD(MICROSECOND, :leaseMillis * 1000, UTC_TIMESTAMP(3))
WHERE lock_key = :lockKey AND (owner IS NULL OR expires_at <= UTC_TIMESTAMP(3))
