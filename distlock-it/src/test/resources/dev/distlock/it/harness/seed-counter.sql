-- A lock's counter starts at 0 (each run has its own lock ids).
INSERT INTO it_counter (resource, value) VALUES (?, 0)
