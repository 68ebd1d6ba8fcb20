package dev.distlock.jdbc.table;

/**
 * The statements of the lease table, one file each per dialect directory under
 * {@code dev/distlock/jdbc/table/} ({@code TAKE_OVER} is {@code take-over.sql}). Which ones a
 * dialect has decides its round trips; see {@link TableDialect}.
 */
enum TableStatement {

	/** Grant in one statement that inserts or takes over the row and returns the token (PostgreSQL). */
	ACQUIRE,

	/** Takes over a free or expired row, first step of a two-statement grant. */
	TAKE_OVER,

	/** Reads the token of the row just taken over. */
	SELECT_TOKEN,

	/** Inserts the row of a lock never used before. */
	INSERT,

	/** Extends one lease. */
	EXTEND,

	/** Extends any number of leases in one statement (PostgreSQL). */
	EXTEND_ALL,

	/** Extends a group of leases sharing one lease time. */
	EXTEND_GROUP,

	/** Which leases of a group are still held, after a group extension missed some. */
	SELECT_HELD,

	/** Frees the owner's row, keeping it for its token counter (and notifies waiters on PostgreSQL). */
	RELEASE,

	/** Frees a held row whoever holds it. */
	FORCE_RELEASE,

	/** The holder of one lock. */
	INSPECT,

	/** Every held lock. */
	LIST,

	/** Proves the table is there. */
	HEALTH,

	/** Subscribes a connection to release notifications (PostgreSQL). */
	LISTEN,

	/** The milliseconds left of the holder's lease, by the database's clock (PostgreSQL). */
	MILLIS_LEFT

}
