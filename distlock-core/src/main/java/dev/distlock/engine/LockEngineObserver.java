package dev.distlock.engine;

import java.time.Duration;

/**
 * Hooks for metrics, tracing and events. Implementations must be fast and must not throw.
 */
public interface LockEngineObserver {

	/** Observes nothing. */
	LockEngineObserver NOOP = new LockEngineObserver() {
	};

	/**
	 * An acquisition (not a reentrant re-entry) starts; the returned observation is told its outcome.
	 */
	default AcquireObservation acquireStarted(String providerId, LockOrigin origin) {
		return AcquireObservation.NOOP;
	}

	/** A grant ended (released, or closed after its lease was lost). */
	default void released(String providerId, LockOrigin origin, Duration heldFor) {
	}

	/** The watchdog renewed a lease. */
	default void renewed(String providerId, LockOrigin origin) {
	}

	/** A held lease was found lost. */
	default void leaseLost(String providerId, LockOrigin origin, String lockId, long fencingToken, String reason) {
	}

	/** The outcome of one acquisition. */
	interface AcquireObservation {

		AcquireObservation NOOP = new AcquireObservation() {
		};

		default void acquired() {
		}

		default void busy() {
		}

		default void failed(Throwable error) {
		}

	}

}
