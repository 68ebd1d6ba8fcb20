package dev.distlock.jdbc.postgres;

import dev.distlock.jdbc.sql.SqlStatements;

/**
 * The statements of the {@code postgres} provider, one file each in
 * {@code dev/distlock/jdbc/postgres/} ({@code OPEN_SESSION} is {@code open-session.sql}); the
 * schema is {@code schema.sql} there.
 */
enum PostgresStatement {

	/** Names a new lock connection and cleans up stale holder rows. */
	OPEN_SESSION,

	/** Takes an advisory lock, draws its fencing token and records the holder. */
	ACQUIRE,

	/** Gives an advisory lock back and deletes its holder row. */
	RELEASE,

	/** The advisory keys the session holds. */
	HELD_KEYS,

	/** Every advisory lock held by a distlock lock connection. */
	LIST_LOCKS,

	/** The holder of one lock id. */
	INSPECT,

	/** Terminates the distlock session holding a lock id's key. */
	FORCE_RELEASE;

	static final String DIRECTORY = "dev/distlock/jdbc/postgres/";

	/** Every statement, read now. */
	static SqlStatements<PostgresStatement> load() {
		return SqlStatements.load(PostgresStatement.class, DIRECTORY);
	}

}
