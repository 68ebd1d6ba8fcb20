package dev.distlock.redis.redlock;

import org.jspecify.annotations.Nullable;

/**
 * What one node answered to one call: a value, or the failure (error or no answer in time).
 * @param node the node
 * @param value its answer when it answered
 * @param failure why it did not
 */
record NodeOutcome<T>(RedlockNode node, @Nullable T value, @Nullable Throwable failure) {

	boolean answered() {
		return this.failure == null;
	}

}
