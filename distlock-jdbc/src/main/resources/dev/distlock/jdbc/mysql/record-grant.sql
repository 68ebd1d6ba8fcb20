-- Right after GET_LOCK granted a name: bumps the name's fencing counter and records the holder in one
-- statement. LAST_INSERT_ID(expr) hands the new token back in the statement's OK packet (read through
-- getGeneratedKeys), so no extra round trip. Only the session holding the name writes its row.
-- Parameters: lock name, lock id (UTF-8 bytes), owner token.
INSERT INTO distlock_named_locks (lock_name, lock_id, owner, fencing_token, holder_connection, acquired_at)
VALUES (?, ?, ?, LAST_INSERT_ID(1), CONNECTION_ID(), UTC_TIMESTAMP(6))
ON DUPLICATE KEY UPDATE
	fencing_token = LAST_INSERT_ID(fencing_token + 1),
	lock_id = VALUES(lock_id),
	owner = VALUES(owner),
	holder_connection = VALUES(holder_connection),
	acquired_at = VALUES(acquired_at)
