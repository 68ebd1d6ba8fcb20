package dev.distlock.jdbc.mysql;

import dev.distlock.jdbc.sql.SqlStatements;

/**
 * The statements of the {@code mysql} provider, one file each in {@code dev/distlock/jdbc/mysql/}
 * ({@code GET_LOCK} is {@code get-lock.sql}); the schema is {@code schema.sql} there.
 */
enum MySqlStatement {

	/** Returns a new lock connection's id and proves the schema is there. */
	OPEN_SESSION,

	/** One {@code GET_LOCK} attempt without waiting. */
	GET_LOCK,

	/** Bumps the name's fencing counter and records the holder, right after a grant. */
	RECORD_GRANT,

	/** {@code RELEASE_LOCK}. */
	RELEASE,

	/** The session's connection id, which proves it alive and unchanged. */
	SESSION_ID,

	/** The holder of one lock name. */
	INSPECT,

	/** Every name whose last winner still holds it. */
	LIST_LOCKS,

	/** Ends a session and every named lock it holds. */
	KILL_CONNECTION,

	/** The connection holding a name. */
	IS_USED_LOCK;

	static final String DIRECTORY = "dev/distlock/jdbc/mysql/";

	/** Every statement, read now. */
	static SqlStatements<MySqlStatement> load() {
		return SqlStatements.load(MySqlStatement.class, DIRECTORY);
	}

}
