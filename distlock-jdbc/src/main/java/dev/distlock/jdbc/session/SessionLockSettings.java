package dev.distlock.jdbc.session;

import java.time.Duration;
import java.util.Objects;

/**
 * How a session-scoped JDBC provider uses its dedicated lock connections.
 *
 * @param instanceId this application instance's id; lock connections carry it (PostgreSQL
 * {@code application_name}) so operators can see which instance holds a lock
 * @param connections how many dedicated lock connections the provider keeps open; locks are spread
 * over them by the hash of their key, so one lock id always uses the same connection
 * @param networkTimeout how long one call on a lock connection may block on the network before the
 * connection is treated as dropped (its locks as lost)
 */
public record SessionLockSettings(String instanceId, int connections, Duration networkTimeout) {

	/** Default number of lock connections: enough for concurrency, small enough never to matter. */
	public static final int DEFAULT_CONNECTIONS = 2;

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
