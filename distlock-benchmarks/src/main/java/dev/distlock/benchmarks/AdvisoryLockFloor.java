package dev.distlock.benchmarks;

import java.sql.PreparedStatement;
import java.sql.SQLException;

import dev.distlock.jdbc.postgres.AdvisoryLockKey;

/**
 * The PostgreSQL floor: {@code pg_try_advisory_lock(key)} to acquire and {@code pg_advisory_unlock}
 * to release, on a connection of its own per thread, the key as distlock derives it.
 */
final class AdvisoryLockFloor extends SessionLockFloor {

	AdvisoryLockFloor(BenchDatabases.Database database) {
		super(database, "SELECT pg_try_advisory_lock(?)", "SELECT pg_advisory_unlock(?)");
	}

	@Override
	void bindKey(PreparedStatement statement, String key) throws SQLException {
		statement.setLong(1, AdvisoryLockKey.of(key));
	}

}
