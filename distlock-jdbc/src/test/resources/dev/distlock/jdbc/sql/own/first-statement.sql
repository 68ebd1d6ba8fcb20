-- Explains the statement to its readers.
SELECT owner
FROM distlock_lock
WHERE lock_key = ?;
