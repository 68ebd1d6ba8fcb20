SELECT 'shared' FROM distlock_lock
