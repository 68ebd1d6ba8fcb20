package dev.distlock.jdbc.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A query that answers with exactly one row, run on a lock connection the caller holds: how every
 * {@link SessionDialect} statement talks to its session (lock connections are plain JDBC
 * connections, outside Spring's templates and transactions).
 */
public final class RowQuery {

	private RowQuery() {
	}

	/**
	 * Runs the query with its bind parameters and reads its one row.
	 * @param parameters bound in order with {@link PreparedStatement#setObject(int, Object)}
	 * @throws SQLException if the statement fails or returns no row
	 */
	public static <T> T one(Connection connection, String sql, RowReader<T> reader, Object... parameters)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet row = statement.executeQuery()) {
				if (!row.next()) {
					throw new SQLException("No row from: " + sql);
				}
				return reader.read(row);
			}
		}
	}

	/** Reads the current row. */
	@FunctionalInterface
	public interface RowReader<T> {

		T read(ResultSet row) throws SQLException;

	}

}
