SELECT 'not used' FROM distlock_lock
