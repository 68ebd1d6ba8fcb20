-- One attempt without waiting: 1 if granted, 0 if another session holds the name, NULL on error.
-- Parameter: lock name.
SELECT GET_LOCK(?, 0)
