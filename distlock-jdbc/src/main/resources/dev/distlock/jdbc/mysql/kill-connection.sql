-- Ends a session and with it every named lock it holds. Parameter: connection id (read from the server).
KILL CONNECTION ?
