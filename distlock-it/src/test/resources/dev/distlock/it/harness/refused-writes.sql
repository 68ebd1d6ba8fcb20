SELECT resource, token, stored_token, worker, late, refused_at FROM it_refusal WHERE resource = ?
