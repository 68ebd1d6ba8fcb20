INSERT INTO it_refusal (resource, token, stored_token, worker, late, refused_at) VALUES (?, ?, ?, ?, ?, ?)
