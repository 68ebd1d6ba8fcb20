package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.distlock.engine.LockEngineObserver;
import dev.distlock.engine.LockOrigin;

/**
 * Tells several observers (events, metrics) about the engine's work.
 */
final class CompositeLockEngineObserver implements LockEngineObserver {

	private final List<LockEngineObserver> observers;

	CompositeLockEngineObserver(List<LockEngineObserver> observers) {
		this.observers = List.copyOf(observers);
	}

	@Override
	public AcquireObservation acquireStarted(String providerId, LockOrigin origin) {
		List<AcquireObservation> started = this.observers.stream()
			.map((observer) -> observer.acquireStarted(providerId, origin))
			.toList();
		return new AcquireObservation() {
			@Override
			public void acquired() {
				started.forEach(AcquireObservation::acquired);
			}

			@Override
			public void busy() {
				started.forEach(AcquireObservation::busy);
			}

			@Override
			public void failed(Throwable error) {
				started.forEach((observation) -> observation.failed(error));
			}
		};
	}

	@Override
	public void released(String providerId, LockOrigin origin, Duration heldFor) {
		this.observers.forEach((observer) -> observer.released(providerId, origin, heldFor));
	}

	@Override
	public void renewed(String providerId, LockOrigin origin) {
		this.observers.forEach((observer) -> observer.renewed(providerId, origin));
	}

	@Override
	public void leaseLost(String providerId, LockOrigin origin, String lockId, long fencingToken, String reason) {
		this.observers.forEach((observer) -> observer.leaseLost(providerId, origin, lockId, fencingToken, reason));
	}

}
