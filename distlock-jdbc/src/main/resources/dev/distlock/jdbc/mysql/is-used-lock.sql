-- The connection id holding a name, or NULL when it is free. Parameter: lock name.
SELECT IS_USED_LOCK(?)
