package dev.distlock.it.backend;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.distlock.test.server.LoopbackPort;

/**
 * The {@code mysql} provider ({@code GET_LOCK} held by sessions) on a private MariaDB server: a
 * fresh data directory ({@code mariadb-install-db}) and {@code mariadbd} on a free loopback port,
 * without grant tables (every client is root; the suite's own server, loopback only).
 */
public final class MariaDbBackend implements Backend {

	private final Path directory = ServerProcesses.temporaryDirectory("distlock-it-mariadb-");

	private final int port = LoopbackPort.free();

	private Process server;

	public MariaDbBackend() {
		try {
			initialize();
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	private void initialize() {
		ServerProcesses.run(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + this.directory.resolve("data"),
				"--user=" + System.getProperty("user.name"), "--skip-test-db", "--auth-root-authentication-method=normal"),
				Duration.ofMinutes(2));
		start();
		try (Connection connection = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + this.port + "/", "root", "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE IF NOT EXISTS test");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Private MariaDB on port " + this.port + " refused CREATE DATABASE", ex);
		}
	}

	@Override
	public String provider() {
		return "mysql";
	}

	@Override
	public List<String> workerArguments() {
		return List.of("--distlock.provider=mysql",
				"--spring.datasource.url=jdbc:mariadb://127.0.0.1:" + this.port + "/test",
				"--spring.datasource.username=root", "--spring.datasource.hikari.connection-timeout=2000",
				"--distlock.jdbc.initialize-schema=always", Backend.exclude(NO_REDIS));
	}

	@Override
	public String restartFault() {
		return "mariadbd SIGKILLed (every session ends), started again on its data";
	}

	@Override
	public void restart() {
		ServerProcesses.kill(this.server);
		start();
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
		try (Connection connection = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + this.port + "/", "root", "");
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
			throw new IllegalStateException("Could not kill the sessions of MariaDB on port " + this.port, ex);
		}
	}

	@Override
	public void close() {
		if (this.server != null) {
			ServerProcesses.kill(this.server);
		}
		ServerProcesses.deleteQuietly(this.directory);
	}

	private void start() {
		Path log = this.directory.resolve("server.log");
		this.server = ServerProcesses.launch(List.of("mariadbd", "--no-defaults",
				"--datadir=" + this.directory.resolve("data"), "--port=" + this.port, "--bind-address=127.0.0.1",
				"--socket=" + this.directory.resolve("mariadb.sock"), "--user=" + System.getProperty("user.name"),
				"--skip-grant-tables", "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=2",
				"--skip-log-bin", "--max-connections=300"), log);
		ServerProcesses.awaitPort(this.port, this.server, log);
	}

}
