package dev.distlock.jdbc.postgres;

/**
 * The statements of the {@code postgres} provider, one file each in {@value #DIRECTORY}
 * ({@code OPEN_SESSION} is {@code open-session.sql}, which says what it does); the schema script is
 * {@code schema.sql} there.
 */
enum PostgresStatement {

	OPEN_SESSION, ACQUIRE, AWAIT_LOCK, RELEASE, LISTEN, HELD_KEYS, LIST_LOCKS, INSPECT, FORCE_RELEASE;

	static final String DIRECTORY = "dev/distlock/jdbc/postgres/";

}
