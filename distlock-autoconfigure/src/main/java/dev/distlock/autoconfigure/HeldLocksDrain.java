package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.distlock.engine.HeldLock;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngines;

/**
 * On shutdown, waits (bounded) for the locks this instance holds to be released before the
 * watchdog and the providers are closed: work still running (a long job, a future) keeps its lock
 * renewed instead of losing it while it runs. Stops in the last lifecycle phase, after schedulers
 * and the web server stopped taking new work.
 */
final class HeldLocksDrain implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(HeldLocksDrain.class);

	private final LockEngines engines;

	private final Duration timeout;

	private volatile boolean running;

	HeldLocksDrain(LockEngines engines, Duration timeout) {
		this.engines = engines;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		long deadline = System.nanoTime() + this.timeout.toNanos();
		List<HeldLock> held = held();
		while (!held.isEmpty() && System.nanoTime() - deadline < 0) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			held = held();
		}
		if (!held.isEmpty()) {
			logger.warn("Shutting down while {} lock(s) are still held: {}; their leases are no longer renewed",
					held.size(), held.stream().map(HeldLock::lock).toList());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 1000;
	}

	private List<HeldLock> held() {
		List<HeldLock> held = new ArrayList<>();
		for (LockEngine engine : this.engines.all()) {
			held.addAll(engine.heldLocks());
		}
		return held;
	}

}
