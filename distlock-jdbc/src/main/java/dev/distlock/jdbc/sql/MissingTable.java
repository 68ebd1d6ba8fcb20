package dev.distlock.jdbc.sql;

import java.sql.SQLException;
import java.util.Set;

/**
 * Recognises a failure caused by a table that does not exist, by its SQLSTATE on the databases
 * distlock knows (PostgreSQL {@code 42P01}, MySQL/MariaDB and H2 {@code 42S02}, Derby {@code 42X05}),
 * so a missing schema gets a message that says how to create it.
 */
public final class MissingTable {

	private static final Set<String> MISSING_TABLE_STATES = Set.of("42P01", "42S02", "42S03", "42S04", "42X05");

	private MissingTable() {
	}

	/** Whether a missing table is among the causes of the failure. */
	public static boolean isCauseOf(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				for (SQLException next = sql; next != null; next = next.getNextException()) {
					if (next.getSQLState() != null && MISSING_TABLE_STATES.contains(next.getSQLState())) {
						return true;
					}
				}
			}
		}
		return false;
	}

}
