-- The write half: the value read before the gap, plus one. Two holders at once lose an update here.
UPDATE it_counter SET value = ? WHERE resource = ?
