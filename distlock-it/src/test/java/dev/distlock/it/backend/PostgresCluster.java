package dev.distlock.it.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.distlock.test.server.LoopbackPort;

/**
 * A private PostgreSQL cluster ({@code initdb} + {@code pg_ctl}) on a free loopback port, trust
 * authentication, user {@code postgres}. As root, its commands run as the {@code postgres} user
 * (PostgreSQL refuses to run as root).
 */
final class PostgresCluster implements AutoCloseable {

	private static final Duration COMMAND_BOUND = Duration.ofSeconds(120);

	private final Path binaries = findBinaries();

	private final Path directory = ServerProcesses.temporaryDirectory("distlock-it-pg-");

	private final Path data = this.directory.resolve("data");

	private final int port = LoopbackPort.free();

	PostgresCluster() {
		try {
			if (isRoot()) {
				ServerProcesses.run(List.of("chown", "postgres:postgres", this.directory.toString()), COMMAND_BOUND);
			}
			ServerProcesses.run(asPostgres(this.binaries.resolve("initdb").toString(), "-D", this.data.toString(),
					"-A", "trust", "-U", "postgres", "--no-sync"), COMMAND_BOUND);
			start();
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
	}

	/** The postmaster's pid (its backends are its children). */
	long pid() {
		try {
			return Long.parseLong(Files.readAllLines(this.data.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0)
				.trim());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("PostgreSQL on port " + this.port + " is not running", ex);
		}
	}

	/** Ends every other client session ({@code pg_terminate_backend}). */
	void terminateSessions() {
		try (Connection connection = DriverManager.getConnection(jdbcUrl(), "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute(SessionStatements.read("postgres-kill-sessions.sql"));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not terminate the sessions of PostgreSQL on port " + this.port, ex);
		}
	}

	/** Stops at once, as a crash would ({@code pg_ctl stop -m immediate}: no checkpoint), and starts again. */
	void crashAndRestart() {
		pgCtl("stop", "-m", "immediate");
		start();
	}

	@Override
	public void close() {
		try {
			pgCtl("stop", "-m", "immediate");
		}
		catch (RuntimeException ex) {
			// Already down.
		}
		ServerProcesses.deleteQuietly(this.directory);
	}

	private void start() {
		pgCtl("start", "-w", "-l", this.directory.resolve("server.log").toString(), "-o",
				"-p " + this.port + " -c listen_addresses=127.0.0.1 -k " + this.directory
						+ " -c fsync=off -c full_page_writes=off -c max_connections=200");
	}

	private void pgCtl(String... arguments) {
		List<String> command = new ArrayList<>(List.of(this.binaries.resolve("pg_ctl").toString(), "-D",
				this.data.toString()));
		command.addAll(List.of(arguments));
		ServerProcesses.run(asPostgres(command.toArray(String[]::new)), COMMAND_BOUND);
	}

	private static List<String> asPostgres(String... command) {
		List<String> full = new ArrayList<>();
		if (isRoot()) {
			full.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		full.addAll(List.of(command));
		return full;
	}

	private static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	private static Path findBinaries() {
		try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
			return versions.map((version) -> version.resolve("bin"))
				.filter((bin) -> Files.isExecutable(bin.resolve("initdb")))
				.max(Path::compareTo)
				.orElseThrow(() -> new IllegalStateException("No initdb under /usr/lib/postgresql/*/bin"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("PostgreSQL's server binaries are not installed (/usr/lib/postgresql)", ex);
		}
	}

}
