-- jdbc-table on PostgreSQL. Times come from the database's clock (CURRENT_TIMESTAMP, the start of
-- the statement's own autocommit transaction). A row is free when its owner is NULL (released) or
-- its lease has expired. Release and force-release notify waiters (LISTEN/NOTIFY, see listen.sql);
-- statements missing here (inspect, list, health) are the standard ones in ../standard/.
-- One round trip: insert the row for a new lock, or take over a free one; RETURNING gives the
-- new fencing token, and no row at all when the lock is held. A grant won while waiting is
-- announced on the release channel with the lock's key XOR the token (:notifyKey # token), so the
-- instance that released the lock just before, holding back for the waiters, knows they have it.
-- Parameters: lockKey, lockId, owner, leaseMillis, announce (boolean), notifyKey (bigint as text).
INSERT INTO distlock_lock AS existing (lock_key, lock_id, owner, fencing_token, acquired_at, expires_at)
VALUES (:lockKey, :lockId, :owner, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP + CAST(:leaseMillis AS BIGINT) * INTERVAL '1 millisecond')
ON CONFLICT (lock_key) DO UPDATE
	SET owner = EXCLUDED.owner, fencing_token = existing.fencing_token + 1,
		acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
	WHERE existing.owner IS NULL OR existing.expires_at <= CURRENT_TIMESTAMP
RETURNING fencing_token,
	CASE WHEN CAST(:announce AS BOOLEAN)
		THEN pg_notify('distlock_table_release', CAST(CAST(:notifyKey AS BIGINT) # fencing_token AS TEXT)) IS NULL
	END AS announced
