package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.Lifecycle;
import org.springframework.context.SmartLifecycle;

import dev.distlock.engine.HeldLock;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngines;
import dev.distlock.spi.LockProvider;

/**
 * On shutdown, waits (bounded) for the locks this instance holds to be released before the
 * watchdog and the providers are closed: work still running (a long job, a future) keeps its lock
 * renewed instead of losing it while it runs. Stops in the last lifecycle phase, after schedulers
 * and the web server stopped taking new work — or, if a provider's client has a lifecycle of its own
 * (Spring Data Redis's connection factories stop in phase 0), just before that client stops, so the
 * releases and renewals it waits for still reach the backend.
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

	/**
	 * Makes the drain a dependent of every {@link Lifecycle} bean the lock providers depend on,
	 * directly or not: Spring stops a bean's dependents before the bean, whatever their phase.
	 */
	static void stopBeforeTheProvidersClients(ConfigurableListableBeanFactory beanFactory, String drainBeanName) {
		Set<String> visited = new HashSet<>();
		Deque<String> pending = new ArrayDeque<>(List.of(beanFactory.getBeanNamesForType(LockProvider.class)));
		while (!pending.isEmpty()) {
			String name = pending.pop();
			if (!visited.add(name)) {
				continue;
			}
			if (beanFactory.containsBean(name) && beanFactory.isTypeMatch(name, Lifecycle.class)) {
				beanFactory.registerDependentBean(name, drainBeanName);
			}
			pending.addAll(List.of(beanFactory.getDependenciesForBean(name)));
		}
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
