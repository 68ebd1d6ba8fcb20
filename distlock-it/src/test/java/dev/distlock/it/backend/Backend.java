package dev.distlock.it.backend;

import java.util.List;

/**
 * A lock backend the fault suite starts for itself on free loopback ports (never the machine's
 * shared servers), with the faults it can suffer: a restart and a freeze of its server processes.
 */
public interface Backend extends AutoCloseable {

	/** The {@code distlock.provider} the workers use. */
	String provider();

	/** The workers' command-line properties that point the starter at this backend. */
	List<String> workerArguments();

	/** What {@link #restart()} does, for the report. */
	String restartFault();

	/**
	 * The restart fault: the servers go down (killed, or stopped as the backend's own restart
	 * does) and come back; returns once the backend serves again.
	 */
	void restart();

	/** The processes to SIGSTOP for the freeze fault: a backend that stops answering. */
	List<Long> serverPids();

	/**
	 * Whether a holder's handle can count its lease valid after the backend let it go on a healthy
	 * backend (a known defect, reported in the suite's table instead of failing it): on etcd a lock
	 * key lives as long as the session lease, whose TTL is counted from its last keep-alive, not from
	 * the grant.
	 */
	default boolean leaseOutlivesItsBackendLease() {
		return false;
	}

	/**
	 * Whether {@link #killSessions()} applies: a backend whose locks live in client sessions
	 * (the database providers).
	 */
	default boolean hasSessions() {
		return false;
	}

	/** Ends every client session on the server (the server stays up), as {@code pg_terminate_backend} / {@code KILL}. */
	default void killSessions() {
		throw new UnsupportedOperationException(provider() + " has no sessions to kill");
	}

	@Override
	void close();

	/** Spring Boot's auto-configurations a worker of a backend without a DataSource or Redis must leave out. */
	static String exclude(String... autoConfigurations) {
		return "--spring.autoconfigure.exclude=" + String.join(",", autoConfigurations);
	}

	/** The DataSource auto-configuration (no database for the locks). */
	String NO_DATA_SOURCE = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

	/** The Redis auto-configuration (no Redis for the locks). */
	String NO_REDIS = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration";

}
