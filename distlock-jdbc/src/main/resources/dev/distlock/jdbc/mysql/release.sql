-- 1 if this session held the name and released it, 0 if another session holds it, NULL if nobody does.
-- Parameter: lock name.
SELECT RELEASE_LOCK(?)
