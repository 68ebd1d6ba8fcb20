package dev.distlock.engine;

import java.time.Duration;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls an observer so that its failures stay its own: a throwing metrics registry or event listener
 * must neither leak a granted lock (the grant would never reach its caller) nor stop the watchdog
 * (every other lease would silently run out).
 */
final class GuardedObserver implements LockEngineObserver {

	private static final Logger logger = LoggerFactory.getLogger(GuardedObserver.class);

	private final LockEngineObserver delegate;

	private GuardedObserver(LockEngineObserver delegate) {
		this.delegate = delegate;
	}

	static LockEngineObserver of(LockEngineObserver observer) {
		return (observer instanceof GuardedObserver || observer == NOOP) ? observer : new GuardedObserver(observer);
	}

	@Override
	public AcquireObservation acquireStarted(String providerId, LockOrigin origin) {
		try {
			AcquireObservation observation = this.delegate.acquireStarted(providerId, origin);
			return (observation != null) ? new GuardedObservation(observation) : AcquireObservation.NOOP;
		}
		catch (RuntimeException ex) {
			report("acquireStarted", ex);
			return AcquireObservation.NOOP;
		}
	}

	@Override
	public void released(String providerId, LockOrigin origin, Duration heldFor) {
		guard("released", (observer) -> observer.released(providerId, origin, heldFor));
	}

	@Override
	public void renewed(String providerId, LockOrigin origin) {
		guard("renewed", (observer) -> observer.renewed(providerId, origin));
	}

	@Override
	public void leaseLost(String providerId, LockOrigin origin, String lockId, long fencingToken, String reason) {
		guard("leaseLost", (observer) -> observer.leaseLost(providerId, origin, lockId, fencingToken, reason));
	}

	private void guard(String hook, Consumer<LockEngineObserver> call) {
		try {
			call.accept(this.delegate);
		}
		catch (RuntimeException ex) {
			report(hook, ex);
		}
	}

	private static void report(String hook, RuntimeException ex) {
		logger.warn("LockEngineObserver.{} failed; the lock engine carries on", hook, ex);
	}

	private static final class GuardedObservation implements AcquireObservation {

		private final AcquireObservation delegate;

		GuardedObservation(AcquireObservation delegate) {
			this.delegate = delegate;
		}

		@Override
		public void acquired() {
			try {
				this.delegate.acquired();
			}
			catch (RuntimeException ex) {
				report("acquired", ex);
			}
		}

		@Override
		public void busy() {
			try {
				this.delegate.busy();
			}
			catch (RuntimeException ex) {
				report("busy", ex);
			}
		}

		@Override
		public void failed(Throwable error) {
			try {
				this.delegate.failed(error);
			}
			catch (RuntimeException ex) {
				GuardedObserver.report("failed", ex);
			}
		}

	}

}
