-- The read half of the deliberately non-atomic read-modify-write, after the fence check (same
-- transaction); the write comes back after the work gap, in another transaction.
SELECT value FROM it_counter WHERE resource = ?
