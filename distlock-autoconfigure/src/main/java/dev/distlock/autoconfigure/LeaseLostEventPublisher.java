package dev.distlock.autoconfigure;

import org.springframework.context.ApplicationEventPublisher;

import dev.distlock.LeaseLostEvent;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.engine.LockOrigin;

/**
 * Publishes a {@link LeaseLostEvent} for every lost lease.
 */
final class LeaseLostEventPublisher implements LockEngineObserver {

	private final ApplicationEventPublisher publisher;

	LeaseLostEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void leaseLost(String providerId, LockOrigin origin, String lockId, long fencingToken, String reason) {
		this.publisher.publishEvent(new LeaseLostEvent(origin.source(), lockId, fencingToken, reason));
	}

}
