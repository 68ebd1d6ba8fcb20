package dev.distlock.engine;

import java.time.Clock;
import java.time.Duration;

/**
 * Several application instances as seen by the engine: one {@link LockEngine} per instance, all
 * sharing ONE real in-memory backend (behind a {@link FaultInjectingLockProvider}) and one watchdog.
 */
final class TestCluster implements AutoCloseable {

	final FaultInjectingLockProvider provider = new FaultInjectingLockProvider();

	final LeaseWatchdog watchdog = new LeaseWatchdog();

	final RecordingObserver observer = new RecordingObserver();

	LockEngine instance(String name) {
		return instance(name, false);
	}

	LockEngine instance(String name, boolean interruptOnLeaseLost) {
		return new LockEngine(this.provider, this.watchdog, new EngineSettings(name, Duration.ofSeconds(30),
				Duration.ZERO, interruptOnLeaseLost, Clock.systemUTC()), this.observer);
	}

	@Override
	public void close() {
		this.watchdog.close();
	}

}
