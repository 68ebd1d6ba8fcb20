package dev.distlock.leader;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A candidate's view of its backend: the last failure (for health) and the jittered exponential
 * back-off between attempts while the backend does not answer. Logs a WARN when trouble starts and
 * an INFO when it ends, not per attempt.
 */
final class BackendTrouble {

	private static final Logger logger = LoggerFactory.getLogger(BackendTrouble.class);

	private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final String group;

	private final long maxPauseNanos;

	private volatile @Nullable String problem;

	private long pauseNanos = FIRST_PAUSE_NANOS;

	/** @param leaseTime the group's lease; back-off never exceeds a third of it (or 5 s) */
	BackendTrouble(String group, Duration leaseTime) {
		this.group = group;
		this.maxPauseNanos = Math.max(FIRST_PAUSE_NANOS,
				Math.min(leaseTime.toNanos() / 3, TimeUnit.SECONDS.toNanos(5)));
	}

	/** The last failure's message while the backend does not answer, else {@code null}. */
	@Nullable String problem() {
		return this.problem;
	}

	/**
	 * Records a failed round trip.
	 * @return the pause before the next attempt, in nanoseconds
	 */
	synchronized long failed(RuntimeException ex) {
		String message = ex.getClass().getSimpleName() + ": " + ex.getMessage();
		if (this.problem == null) {
			logger.warn("Leader election for group '{}' cannot reach its lock backend; campaigning with back-off: {}",
					this.group, message);
		}
		this.problem = message;
		long step = this.pauseNanos;
		this.pauseNanos = Math.min(this.maxPauseNanos, step * 2);
		return step / 2 + ThreadLocalRandom.current().nextLong(step);
	}

	/** Records a round trip the backend answered. */
	synchronized void answered() {
		if (this.problem != null) {
			logger.info("Leader election for group '{}' reaches its lock backend again", this.group);
		}
		this.problem = null;
		this.pauseNanos = FIRST_PAUSE_NANOS;
	}

}
