package dev.distlock.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.distlock.LockConfigurationException;

/**
 * Checks {@code distlock.*} values that Spring Boot's binding accepts but distlock cannot use, so a
 * bad value fails the application at startup with the property's name.
 */
final class DistlockPropertiesValidator {

	/** The table-name rule is the JDBC providers' own; without them the name is never used. */
	private static final boolean JDBC_PRESENT = org.springframework.util.ClassUtils
		.isPresent("dev.distlock.jdbc.TableName", DistlockPropertiesValidator.class.getClassLoader());

	/** The replica-acknowledgement rules are the redis provider's own; without it they are never used. */
	private static final boolean REDIS_PRESENT = org.springframework.util.ClassUtils
		.isPresent("dev.distlock.redis.ReplicaAcknowledgement", DistlockPropertiesValidator.class.getClassLoader());

	private DistlockPropertiesValidator() {
	}

	static DistlockProperties validate(DistlockProperties properties) {
		positive("distlock.lease-time", properties.getLeaseTime());
		notNegative("distlock.wait-time", properties.getWaitTime());
		positive("distlock.leader.lease-time", properties.getLeader().getLeaseTime());
		if (properties.getScheduled().getLeaseTime() != null) {
			positive("distlock.scheduled.lease-time", properties.getScheduled().getLeaseTime());
		}
		Duration minHold = properties.getScheduled().getMinHoldTime();
		if (minHold != null) {
			notNegative("distlock.scheduled.min-hold-time", minHold);
			if (minHold.compareTo(properties.scheduledLeaseTime()) > 0) {
				throw new LockConfigurationException("distlock.scheduled.min-hold-time (" + minHold
						+ ") must not be longer than distlock.scheduled.lease-time ("
						+ properties.scheduledLeaseTime() + ")");
			}
		}
		notNegative("distlock.scheduled.max-clock-skew", properties.getScheduled().getMaxClockSkew());
		if (properties.getJdbc().getLockConnections() < 1) {
			throw new LockConfigurationException(
					"distlock.jdbc.lock-connections must be at least 1, was " + properties.getJdbc().getLockConnections());
		}
		if (JDBC_PRESENT) {
			dev.distlock.jdbc.TableName.check("distlock.jdbc.table-name", properties.getJdbc().getTableName());
		}
		if (REDIS_PRESENT) {
			replicaAcknowledgement(properties.getRedis());
		}
		if (properties.getInstanceId() != null && properties.getInstanceId().isBlank()) {
			throw new LockConfigurationException("distlock.instance-id must not be blank");
		}
		if (!properties.getZookeeper().getBasePath().startsWith("/")) {
			throw new LockConfigurationException("distlock.zookeeper.base-path '"
					+ properties.getZookeeper().getBasePath() + "' must start with '/'");
		}
		positiveIfSet("distlock.zookeeper.session-timeout", properties.getZookeeper().getSessionTimeout());
		positiveIfSet("distlock.zookeeper.connection-timeout", properties.getZookeeper().getConnectionTimeout());
		if (properties.getEtcd().getKeyPrefix().isEmpty()) {
			throw new LockConfigurationException("distlock.etcd.key-prefix must not be empty");
		}
		Duration sessionTtl = properties.getEtcd().getSessionTtl();
		if (sessionTtl != null && sessionTtl.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new LockConfigurationException("distlock.etcd.session-ttl must be at least 1s (etcd counts lease "
					+ "TTLs in whole seconds), was " + sessionTtl);
		}
		positiveIfSet("distlock.etcd.request-timeout", properties.getEtcd().getRequestTimeout());
		return properties;
	}

	/**
	 * {@code distlock.redis.wait-for-replicas} and {@code distlock.redis.wait-timeout}, checked even
	 * when another provider is chosen, so a bad value fails at startup rather than when Redis is
	 * switched on.
	 */
	private static void replicaAcknowledgement(DistlockProperties.Redis redis) {
		try {
			redis.replicaAcknowledgement();
		}
		catch (IllegalArgumentException ex) {
			throw new LockConfigurationException(ex.getMessage(), ex);
		}
	}

	private static void positive(String property, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new LockConfigurationException(property + " must be positive, was " + value);
		}
	}

	private static void positiveIfSet(String property, @Nullable Duration value) {
		if (value != null) {
			positive(property, value);
		}
	}

	private static void notNegative(String property, Duration value) {
		if (value.isNegative()) {
			throw new LockConfigurationException(property + " must not be negative, was " + value);
		}
	}

}
