package dev.distlock.jdbc.mysql;

/**
 * The statements of the {@code mysql} provider, one file each in {@value #DIRECTORY}
 * ({@code GET_LOCK} is {@code get-lock.sql}, which says what it does); the schema script is
 * {@code schema.sql} there.
 */
enum MySqlStatement {

	OPEN_SESSION, GET_LOCK, AWAIT_LOCK, RECORD_GRANT, RELEASE, SESSION_ID, INSPECT, LIST_LOCKS, KILL_CONNECTION, IS_USED_LOCK;

	static final String DIRECTORY = "dev/distlock/jdbc/mysql/";

}
