package dev.distlock.jdbc.session;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.awaitility.Awaitility.await;

/**
 * The lock connections of one provider, opened on a real test database, remembered by their server
 * session id so that a test can end them behind the provider's back ({@code pg_terminate_backend},
 * {@code KILL CONNECTION}), as an operator, a failover or a network partition would.
 */
public final class KillableLockConnections implements LockConnectionFactory {

	private final String kind;

	private final LockConnectionFactory target;

	private final JdbcTemplate admin;

	private final Set<Long> sessions = ConcurrentHashMap.newKeySet();

	public KillableLockConnections(String kind) {
		this.kind = kind;
		this.target = TestDatabases.lockConnections(kind);
		this.admin = new JdbcTemplate(TestDatabases.dataSource(kind));
	}

	@Override
	public Connection openConnection() throws SQLException {
		Connection connection = this.target.openConnection();
		String sessionId = TestDatabases.POSTGRES.equals(this.kind) ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()";
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sessionId)) {
			result.next();
			this.sessions.add(result.getLong(1));
		}
		catch (SQLException ex) {
			connection.close();
			throw ex;
		}
		return connection;
	}

	/** Ends every session this factory opened and waits until the server has let go of them. */
	public void killAll() {
		List<Long> killed = List.copyOf(this.sessions);
		this.sessions.removeAll(killed);
		for (long session : killed) {
			if (TestDatabases.POSTGRES.equals(this.kind)) {
				this.admin.queryForObject("SELECT pg_terminate_backend(?::int, 5000)", Boolean.class, session);
			}
			else {
				try {
					this.admin.update("KILL CONNECTION ?", session);
				}
				catch (DataAccessException ex) {
					// Already gone (the provider replaced a dropped connection): nothing to kill.
				}
			}
		}
		String alive = TestDatabases.POSTGRES.equals(this.kind) ? "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?"
				: "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?";
		for (long session : killed) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.admin.queryForObject(alive, Integer.class, session) == 0);
		}
	}

}
