package dev.distlock.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.distlock.LockGroup;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ReleaseSubscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine keeps state for a lock id only while the id is in use: an application that locks a new
 * id per order keeps no more memory after a million of them than before, whichever way it locks.
 */
class ManyDistinctLockIdsTests {

	private static final int IDS = 1_000_000;

	/** Generous: a million forgotten grants, gates or timers would take hundreds of megabytes. */
	private static final long HEAP_GROWTH_BOUND = 32L * 1024 * 1024;

	private final InMemoryLockProvider provider = new InMemoryLockProvider();

	private final LeaseWatchdog watchdog = new LeaseWatchdog();

	private final LockEngine engine = new LockEngine(this.provider, this.watchdog, new EngineSettings("many-ids",
			Duration.ofSeconds(30), Duration.ZERO, false, Clock.systemUTC()), LockEngineObserver.NOOP);

	@AfterEach
	void closeWatchdog() {
		this.watchdog.close();
	}

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void aMillionAcquisitionsOfDistinctIdsLeaveNoPerIdStateAndNoHeapGrowth() {
		lockDistinctIds("warm-up:", 20_000);
		long baseline = usedHeapAfterFullGc();
		lockDistinctIds("order:", IDS);
		assertThat(this.engine.perLockIdStateSize()).as("grants, gates and slot claims kept").isZero();
		assertThat(this.engine.heldLocks()).isEmpty();
		assertThat(this.watchdog.renewingCount()).isZero();
		assertThat(this.provider.listLocks()).isEmpty();
		assertThat(ThreadLockStack.depth()).isZero();
		long after = usedHeapAfterFullGc();
		assertThat(after - baseline).as("heap growth after %,d distinct ids (baseline %,d bytes, after %,d bytes)", IDS,
				baseline, after)
			.isLessThan(HEAP_GROWTH_BOUND);
	}

	@Test
	void waitsForBusyIdsLeaveNoReleaseSubscriptionsAndNoPerIdState() {
		AtomicInteger subscriptions = new AtomicInteger();
		AtomicInteger openSubscriptions = new AtomicInteger();
		LockProvider counting = new ForwardingLockProvider(this.provider) {

			@Override
			public ReleaseSubscription onRelease(String lockId, Runnable listener) {
				ReleaseSubscription subscription = super.onRelease(lockId, listener);
				subscriptions.incrementAndGet();
				openSubscriptions.incrementAndGet();
				return () -> {
					openSubscriptions.decrementAndGet();
					subscription.close();
				};
			}

		};
		LockEngine waiter = new LockEngine(counting, this.watchdog, new EngineSettings("waiter", Duration.ofSeconds(30),
				Duration.ZERO, false, Clock.systemUTC()), LockEngineObserver.NOOP);
		for (int i = 0; i < 2_000; i++) {
			String id = "busy:" + i;
			try (LockHandle holder = this.engine.acquire(LockRequest.of(id))) {
				assertThat(waiter.tryAcquire(LockRequest.of(id).waitTime(Duration.ofMillis(1)))).isEmpty();
			}
		}
		assertThat(subscriptions).as("waits that subscribed to release notifications").hasPositiveValue();
		assertThat(openSubscriptions).as("release subscriptions still open").hasValue(0);
		assertThat(waiter.perLockIdStateSize()).isZero();
		assertThat(this.engine.perLockIdStateSize()).isZero();
		assertThat(this.provider.listLocks()).isEmpty();
	}

	/** Every way of taking a lock, in turn: execute, tryRun without renewal, permits, a group of two. */
	private void lockDistinctIds(String prefix, int count) {
		for (int i = 0; i < count; i++) {
			String id = prefix + i;
			switch (i % 4) {
				case 0 -> assertThat(this.engine.execute(LockRequest.of(id), LockHandle::fencingToken)).isPositive();
				case 1 -> assertThat(this.engine.tryRun(LockRequest.of(id).autoRenew(false), () -> {
				})).isTrue();
				case 2 -> {
					try (LockHandle handle = this.engine.acquire(LockRequest.of(id).permits(2))) {
						assertThat(handle.isValid()).isTrue();
					}
				}
				default -> {
					try (LockGroup group = this.engine
						.acquireAll(List.of(LockRequest.of(id), LockRequest.of(id + "/second")))) {
						assertThat(group.handles()).hasSize(2);
					}
				}
			}
		}
	}

	/** Used heap after full collections: the lowest of a few readings, so a collection in flight does not count. */
	private static long usedHeapAfterFullGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long lowest = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			lowest = Math.min(lowest, memory.getHeapMemoryUsage().getUsed());
		}
		return lowest;
	}

}
