-- In the order they committed: the fence's row lock serialises the writes of one resource.
SELECT resource, token, value_before, worker, late, written_at FROM it_write WHERE resource = ? ORDER BY id
