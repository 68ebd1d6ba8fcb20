SELECT value FROM it_counter WHERE resource = ?
