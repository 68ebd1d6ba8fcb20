package dev.distlock.it.backend;

import java.util.List;

/**
 * A provider on a private PostgreSQL cluster: {@code postgres} (advisory locks held by sessions) or
 * {@code jdbc-table} (a lease table).
 */
public final class PostgresBackend implements Backend {

	private final String provider;

	private final PostgresCluster cluster = new PostgresCluster();

	public PostgresBackend(String provider) {
		this.provider = provider;
	}

	@Override
	public String provider() {
		return this.provider;
	}

	@Override
	public List<String> workerArguments() {
		return List.of("--distlock.provider=" + this.provider, "--spring.datasource.url=" + this.cluster.jdbcUrl(),
				"--spring.datasource.username=postgres", "--spring.datasource.hikari.connection-timeout=2000",
				"--distlock.jdbc.initialize-schema=always", Backend.exclude(NO_REDIS));
	}

	@Override
	public String restartFault() {
		return "PostgreSQL stopped at once (pg_ctl -m immediate: every session ends) and started again";
	}

	@Override
	public void restart() {
		this.cluster.crashAndRestart();
	}

	@Override
	public List<Long> serverPids() {
		return List.of(this.cluster.pid());
	}

	@Override
	public boolean hasSessions() {
		return true;
	}

	@Override
	public void killSessions() {
		this.cluster.terminateSessions();
	}

	@Override
	public void close() {
		this.cluster.close();
	}

}
