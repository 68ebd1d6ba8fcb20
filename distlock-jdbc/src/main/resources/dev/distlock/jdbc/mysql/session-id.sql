-- Proves the lock connection alive and still the same session (a driver that reconnects silently
-- would get a new id, and the new session holds none of the old one's names).
SELECT CONNECTION_ID()
