package dev.distlock.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.distlock.jdbc.postgres.AdvisoryLockKey;

/**
 * The PostgreSQL floor: {@code pg_try_advisory_lock(key)} to acquire and {@code pg_advisory_unlock}
 * to release, on a connection of its own per thread (prepared statements, autocommit). No fencing
 * token, no holder record, no wake-ups: a waiter retries at once.
 */
final class AdvisoryLockFloor implements LockUnderTest {

	private final BenchDatabases.Database database;

	private final List<Connection> opened = new CopyOnWriteArrayList<>();

	private final ThreadLocal<Statements> statements = ThreadLocal.withInitial(this::open);

	AdvisoryLockFloor(BenchDatabases.Database database) {
		this.database = database;
	}

	@Override
	public long runLocked(String key, Runnable section) {
		Statements own = this.statements.get();
		long advisoryKey = AdvisoryLockKey.of(key);
		try {
			long start = System.nanoTime();
			while (!own.call(own.lock, advisoryKey)) {
				Thread.onSpinWait();
			}
			long waited = System.nanoTime() - start;
			try {
				section.run();
			}
			finally {
				own.call(own.unlock, advisoryKey);
			}
			return waited;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Statements open() {
		try {
			Connection connection = DriverManager.getConnection(this.database.url(), this.database.user(),
					this.database.password());
			this.opened.add(connection);
			return new Statements(connection.prepareStatement("SELECT pg_try_advisory_lock(?)"),
					connection.prepareStatement("SELECT pg_advisory_unlock(?)"));
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		for (Connection connection : this.opened) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// closing at the end of a case: nothing to do with it
			}
		}
	}

	private record Statements(PreparedStatement lock, PreparedStatement unlock) {

		boolean call(PreparedStatement statement, long key) throws SQLException {
			statement.setLong(1, key);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getBoolean(1);
			}
		}

	}

}
