package dev.distlock.jdbc.fencing;

/**
 * The statements of the fencing table, one file each per dialect directory under
 * {@code dev/distlock/jdbc/fencing/} ({@code postgresql/}, {@code mysql/}, {@code standard/}).
 */
enum FenceStatement {

	/** Records a token for a resource if it is not lower than the stored one. */
	RECORD,

	/** Reads the stored token of a resource. */
	STORED

}
