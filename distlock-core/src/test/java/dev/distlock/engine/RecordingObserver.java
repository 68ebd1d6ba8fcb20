package dev.distlock.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what the engine reports, for assertions. */
final class RecordingObserver implements LockEngineObserver {

	final List<String> lostReasons = new CopyOnWriteArrayList<>();

	final List<String> lostLocks = new CopyOnWriteArrayList<>();

	final AtomicInteger renewals = new AtomicInteger();

	final AtomicInteger releases = new AtomicInteger();

	final List<String> outcomes = new CopyOnWriteArrayList<>();

	@Override
	public AcquireObservation acquireStarted(String providerId, LockOrigin origin) {
		return new AcquireObservation() {

			@Override
			public void acquired() {
				RecordingObserver.this.outcomes.add("acquired");
			}

			@Override
			public void busy() {
				RecordingObserver.this.outcomes.add("busy");
			}

			@Override
			public void failed(Throwable error) {
				RecordingObserver.this.outcomes.add("error");
			}

		};
	}

	@Override
	public void released(String providerId, LockOrigin origin, Duration heldFor) {
		this.releases.incrementAndGet();
	}

	@Override
	public void renewed(String providerId, LockOrigin origin) {
		this.renewals.incrementAndGet();
	}

	@Override
	public void leaseLost(String providerId, LockOrigin origin, String lockId, long fencingToken, String reason) {
		this.lostLocks.add(lockId);
		this.lostReasons.add(reason);
	}

}
