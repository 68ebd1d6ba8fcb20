package dev.distlock.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The floor of a database's session locks: a try-lock and an unlock statement, prepared on a
 * connection of its own per thread (autocommit). No fencing token, no holder record, no wake-ups: a
 * waiter retries at once. Subclasses give the statements and how a key is bound.
 */
abstract class SessionLockFloor implements LockUnderTest {

	private final BenchDatabases.Database database;

	private final String lockSql;

	private final String unlockSql;

	private final List<Connection> opened = new CopyOnWriteArrayList<>();

	private final ThreadLocal<Statements> statements = ThreadLocal.withInitial(this::open);

	/**
	 * @param lockSql one parameter, the key; returns whether the lock was taken
	 * @param unlockSql one parameter, the key
	 */
	SessionLockFloor(BenchDatabases.Database database, String lockSql, String unlockSql) {
		this.database = database;
		this.lockSql = lockSql;
		this.unlockSql = unlockSql;
	}

	/** Binds the benchmark's key as the statements' one parameter. */
	abstract void bindKey(PreparedStatement statement, String key) throws SQLException;

	@Override
	public final long runLocked(String key, Runnable section) {
		Statements own = this.statements.get();
		try {
			long start = System.nanoTime();
			while (!call(own.lock(), key)) {
				Thread.onSpinWait();
			}
			long waited = System.nanoTime() - start;
			try {
				section.run();
			}
			finally {
				call(own.unlock(), key);
			}
			return waited;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private boolean call(PreparedStatement statement, String key) throws SQLException {
		bindKey(statement, key);
		try (ResultSet result = statement.executeQuery()) {
			result.next();
			return result.getBoolean(1);
		}
	}

	private Statements open() {
		try {
			Connection connection = DriverManager.getConnection(this.database.url(), this.database.user(),
					this.database.password());
			this.opened.add(connection);
			return new Statements(connection.prepareStatement(this.lockSql),
					connection.prepareStatement(this.unlockSql));
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public final void close() {
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

	}

}
