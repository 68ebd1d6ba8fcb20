-- Owner tokens are unique per grant, so the row's token belongs to this grant if its owner matches.
SELECT fencing_token FROM distlock_lock WHERE lock_key = :lockKey AND owner = :owner
