package dev.distlock.it.backend;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mysql} provider ({@code GET_LOCK} held by sessions) on a private MariaDB server: a
 * fresh data directory ({@code mariadb-install-db}) and {@code mariadbd} on a free loopback port,
 * without grant tables (every client is root; the suite's own server, loopback only).
 */
public final class MariaDbBackend implements Backend {

	private final PrivateServer server = new PrivateServer("mariadb", (server) -> List.of("mariadbd", "--no-defaults",
			"--datadir=" + server.directory().resolve("data"), "--port=" + server.port(), "--bind-address=127.0.0.1",
			"--socket=" + server.directory().resolve("mariadb.sock"), "--user=" + System.getProperty("user.name"),
			"--skip-grant-tables", "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=2",
			"--skip-log-bin", "--max-connections=300"));

	public MariaDbBackend() {
		try {
			ServerProcesses.run(List.of("mariadb-install-db", "--no-defaults",
					"--datadir=" + this.server.directory().resolve("data"), "--user=" + System.getProperty("user.name"),
					"--skip-test-db", "--auth-root-authentication-method=normal"), Duration.ofMinutes(2));
			this.server.start();
			try (Connection connection = DriverManager.getConnection(rootUrl(), "root", "");
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE DATABASE IF NOT EXISTS test");
			}
		}
		catch (SQLException | RuntimeException ex) {
			this.server.close();
			throw new IllegalStateException("Could not start a private MariaDB", ex);
		}
	}

	@Override
	public String provider() {
		return "mysql";
	}

	@Override
	public List<String> workerArguments() {
		return List.of("--distlock.provider=mysql",
				"--spring.datasource.url=jdbc:mariadb://127.0.0.1:" + this.server.port() + "/test",
				"--spring.datasource.username=root", "--spring.datasource.hikari.connection-timeout=2000",
				"--distlock.jdbc.initialize-schema=always", Backend.exclude(NO_REDIS));
	}

	@Override
	public String restartFault() {
		return "mariadbd SIGKILLed (every session ends), started again on its data";
	}

	@Override
	public void restart() {
		this.server.crashAndRestart();
	}

	@Override
	public List<Long> serverPids() {
		return List.of(this.server.pid());
	}

	@Override
	public boolean hasSessions() {
		return true;
	}

	@Override
	public void killSessions() {
		try (Connection connection = DriverManager.getConnection(rootUrl(), "root", "");
				Statement statement = connection.createStatement()) {
			List<Long> sessions = new ArrayList<>();
			try (ResultSet rows = statement.executeQuery(SessionStatements.read("mariadb-sessions.sql"))) {
				while (rows.next()) {
					sessions.add(rows.getLong(1));
				}
			}
			for (long session : sessions) {
				try {
					statement.execute("KILL " + session);
				}
				catch (SQLException ex) {
					// It ended on its own meanwhile.
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not kill the sessions of MariaDB on port " + this.server.port(), ex);
		}
	}

	@Override
	public void close() {
		this.server.close();
	}

	private String rootUrl() {
		return "jdbc:mariadb://127.0.0.1:" + this.server.port() + "/";
	}

}
