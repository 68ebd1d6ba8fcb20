package dev.distlock.jdbc.session;

import java.time.Duration;
import java.util.Objects;

/**
 * How a session-scoped JDBC provider uses its dedicated lock connections.
 *
 * @param instanceId this application instance's id; lock connections carry it (PostgreSQL
 * {@code application_name}) so operators can see which instance holds a lock
 * @param connections at most how many dedicated lock connections the provider opens: one more only
 * when every open one is busy with another call; a held lock stays on the connection it was granted on.
 * A caller that waits for a busy lock waits on the server on a connection that holds no lock, and
 * at most {@code connections - 1} wait at once (one stays free for renewals and other calls), so
 * with 1 waiters fall back to retrying (polling, or release notifications on PostgreSQL)
 * @param networkTimeout how long one call on a lock connection may block on the network before the
 * connection is treated as dropped (its locks as lost)
 */
public record SessionLockSettings(String instanceId, int connections, Duration networkTimeout) {

	/**
	 * Default bound of lock connections: enough for concurrent calls of a few threads, small enough for
	 * the database's connection limit; an instance with one caller opens one.
	 */
	public static final int DEFAULT_CONNECTIONS = 4;

	/** Default network timeout of a lock connection. */
	public static final Duration DEFAULT_NETWORK_TIMEOUT = Duration.ofSeconds(10);

	public SessionLockSettings {
		Objects.requireNonNull(instanceId, "instanceId");
		Objects.requireNonNull(networkTimeout, "networkTimeout");
		if (connections < 1) {
			throw new IllegalArgumentException("connections must be at least 1, was " + connections);
		}
		if (networkTimeout.isNegative() || networkTimeout.isZero()) {
			throw new IllegalArgumentException("networkTimeout must be positive, was " + networkTimeout);
		}
	}

	/** {@value #DEFAULT_CONNECTIONS} lock connections and a 10s network timeout. */
	public static SessionLockSettings defaults(String instanceId) {
		return new SessionLockSettings(instanceId, DEFAULT_CONNECTIONS, DEFAULT_NETWORK_TIMEOUT);
	}

}
