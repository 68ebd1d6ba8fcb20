package dev.distlock.benchmarks;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The MySQL/MariaDB floor: {@code GET_LOCK(name, 0)} to acquire and {@code RELEASE_LOCK(name)} to
 * release, on a connection of its own per thread.
 */
final class NamedLockFloor extends SessionLockFloor {

	NamedLockFloor(BenchDatabases.Database database) {
		super(database, "SELECT GET_LOCK(?, 0)", "SELECT RELEASE_LOCK(?)");
	}

	@Override
	void bindKey(PreparedStatement statement, String key) throws SQLException {
		// Named locks are at most 64 characters: the benchmark's keys are shorter.
		statement.setString(1, key);
	}

}
