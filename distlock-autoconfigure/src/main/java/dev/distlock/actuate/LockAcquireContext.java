package dev.distlock.actuate;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import dev.distlock.engine.LockOrigin;

/**
 * What an observation of one lock acquisition knows: the provider, the static lock name and where
 * the request came from, and, once it ends, the outcome.
 */
public class LockAcquireContext extends Observation.Context {

	private final String providerId;

	private final LockOrigin origin;

	private @Nullable AcquireOutcome outcome;

	public LockAcquireContext(String providerId, LockOrigin origin) {
		this.providerId = providerId;
		this.origin = origin;
	}

	/** The provider id ({@code redis}, {@code jdbc-table}, ...). */
	public String getProviderId() {
		return this.providerId;
	}

	/** The static lock name (without a per-call key) and the annotated method or {@code LockTemplate}. */
	public LockOrigin getOrigin() {
		return this.origin;
	}

	/** The outcome, once the acquisition ended. */
	public @Nullable AcquireOutcome getOutcome() {
		return this.outcome;
	}

	void setOutcome(AcquireOutcome outcome) {
		this.outcome = outcome;
	}

	/** How an acquisition ended. */
	public enum AcquireOutcome {

		/** The lock was granted. */
		ACQUIRED,

		/** Another owner held the lock for the whole wait time. */
		BUSY,

		/** The backend failed. */
		ERROR;

		/** The value of the {@code outcome} tag. */
		public String tagValue() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
