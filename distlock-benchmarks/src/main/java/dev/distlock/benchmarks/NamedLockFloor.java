package dev.distlock.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The MySQL/MariaDB floor: {@code GET_LOCK(name, 0)} to acquire and {@code RELEASE_LOCK(name)} to
 * release, on a connection of its own per thread. No fencing token, no wake-ups: a waiter retries at
 * once.
 */
final class NamedLockFloor implements LockUnderTest {

	private final BenchDatabases.Database database;

	private final List<Connection> opened = new CopyOnWriteArrayList<>();

	private final ThreadLocal<Statements> statements = ThreadLocal.withInitial(this::open);

	NamedLockFloor(BenchDatabases.Database database) {
		this.database = database;
	}

	@Override
	public long runLocked(String key, Runnable section) {
		Statements own = this.statements.get();
		// Named locks are at most 64 characters: the benchmark's keys are shorter.
		try {
			long start = System.nanoTime();
			while (!own.call(own.lock, key)) {
				Thread.onSpinWait();
			}
			long waited = System.nanoTime() - start;
			try {
				section.run();
			}
			finally {
				own.call(own.unlock, key);
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
			return new Statements(connection.prepareStatement("SELECT GET_LOCK(?, 0)"),
					connection.prepareStatement("SELECT RELEASE_LOCK(?)"));
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

		boolean call(PreparedStatement statement, String name) throws SQLException {
			statement.setString(1, name);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(1) == 1;
			}
		}

	}

}
