INSERT INTO it_write (resource, token, value_before, worker, late, written_at) VALUES (?, ?, ?, ?, ?, ?)
