package dev.distlock.engine;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered exponential back-off between acquisition attempts, so waiting instances do not poll the
 * backend in lock-step.
 */
final class Backoff {

	private final long maxNanos;

	private long nextNanos;

	Backoff(long initialNanos, long maxNanos) {
		this.nextNanos = initialNanos;
		this.maxNanos = maxNanos;
	}

	/** The next pause: the current step with ±50% jitter; the step doubles up to the maximum. */
	long nextPauseNanos() {
		long step = this.nextNanos;
		this.nextNanos = Math.min(this.maxNanos, step * 2);
		return step / 2 + ThreadLocalRandom.current().nextLong(step);
	}

}
