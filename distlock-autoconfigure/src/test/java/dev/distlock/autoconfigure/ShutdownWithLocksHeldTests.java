package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.distlock.DistributedLockException;
import dev.distlock.DistributedLocked;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing the application while threads hold locks: close waits for the locked work that is running,
 * then the locks are free for the next instance at once, and no distlock thread outlives the context
 * — also while threads keep locking during the close.
 */
class ShutdownWithLocksHeldTests {

	private static final String REDIS_URL = ProviderSelectionTests.REDIS_URL;

	private static final String JOBS = Jobs.class.getName();

	private static final int HOLDERS = 4;

	private static final int LOOPERS = 8;

	/** One backend that several application instances (contexts) share, as a cluster would. */
	private final InMemoryLockProvider backend = new InMemoryLockProvider();

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner inMemory = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class))
		.withBean("sharedBackend", LockProvider.class, () -> this.backend)
		.withUserConfiguration(Jobs.class);

	private final ApplicationContextRunner redis = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, DistlockAutoConfiguration.class))
		.withPropertyValues("distlock.provider=redis", "spring.data.redis.url=" + REDIS_URL)
		.withUserConfiguration(Jobs.class);

	private final ApplicationContextRunner postgres = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, DistlockAutoConfiguration.class))
		.withPropertyValues("distlock.provider=postgres", "distlock.jdbc.initialize-schema=always",
				"spring.datasource.url=" + ProviderSelectionTests.POSTGRES_URL,
				"spring.datasource.username=" + ProviderSelectionTests.POSTGRES_USER)
		.withUserConfiguration(Jobs.class);

	@Test
	void closingWhileLockedMethodsRunWaitsForThemAndLeavesTheirLocksFreeForTheNextInstance() throws Exception {
		closeWhileLockedMethodsRun(this.inMemory);
		assertThat(this.backend.listLocks()).as("locks left in the backend").isEmpty();
	}

	@Test
	void closingWhileLockedMethodsRunOnRedisLeavesTheirLocksFreeForTheNextInstance() throws Exception {
		closeWhileLockedMethodsRun(this.redis);
	}

	@Test
	void closingWhileLockedMethodsRunOnPostgresLeavesTheirLocksFreeForTheNextInstance() throws Exception {
		closeWhileLockedMethodsRun(this.postgres);
	}

	@Test
	void aLockStillHeldWhenTheShutdownPhaseTimesOutIsNoLongerRenewedAndEndsWithItsLease() throws Exception {
		String lockId = "leaked-" + this.run;
		Set<Thread> before = distlockThreads();
		LockHandle[] leaked = new LockHandle[1];
		this.inMemory
			.withPropertyValues("distlock.lease-time=1s", "spring.lifecycle.timeout-per-shutdown-phase=200ms")
			.run((context) -> {
				leaked[0] = context.getBean(LockTemplate.class).acquire(LockRequest.of(lockId));
				assertThat(newThreads(before)).as("the watchdog renews it").isNotEmpty();
				context.close();
			});
		// Its holder may still be working: the lock is not taken from it, but no longer renewed.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(leaked[0].isValid()).isFalse();
			assertThat(tryAcquireInANewInstance(this.inMemory, lockId)).isTrue();
		});
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
	}

	@Test
	void closingWhileThreadsKeepLockingReturnsPromptlyWithOnlyLockExceptionsAndNoLeftoverThreads() throws Exception {
		closeUnderLoad(this.inMemory);
		assertThat(this.backend.listLocks()).as("locks left in the backend").isEmpty();
	}

	@Test
	void closingWhileThreadsKeepLockingOnPostgresReturnsPromptlyWithOnlyLockExceptionsAndNoLeftoverThreads()
			throws Exception {
		closeUnderLoad(this.postgres);
	}

	@Test
	void closingWhileThreadsKeepLockingOnRedisReturnsPromptlyWithOnlyLockExceptionsAndNoLeftoverThreads()
			throws Exception {
		closeUnderLoad(this.redis.withPropertyValues("distlock.lease-time=2s"));
	}

	private void closeWhileLockedMethodsRun(ApplicationContextRunner runner) throws Exception {
		Set<Thread> before = distlockThreads();
		List<Thread> holders = new ArrayList<>();
		Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
		runner.run((context) -> {
			Jobs jobs = context.getBean(Jobs.class);
			for (int i = 0; i < HOLDERS; i++) {
				String key = this.run + "-" + i;
				Thread holder = new Thread(() -> {
					try {
						jobs.hold(key);
					}
					catch (Throwable ex) {
						failures.add(ex);
					}
				}, "holder-" + i);
				holder.start();
				holders.add(holder);
			}
			assertThat(jobs.awaitEntered()).as("every holder inside its locked method").isTrue();
			assertThat(newThreads(before)).as("distlock threads while locks are held").isNotEmpty();
			Thread closer = new Thread(context::close, "closer");
			closer.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> isDraining(closer));
			assertThat(holders).as("still inside their locked methods").allMatch(Thread::isAlive);
			jobs.finish();
			closer.join(Duration.ofSeconds(20).toMillis());
			assertThat(closer.isAlive()).as("close returned").isFalse();
			assertThat(context.isActive()).isFalse();
		});
		for (Thread holder : holders) {
			holder.join(10_000);
		}
		assertThat(failures).as("failures of the locked methods").isEmpty();
		for (int i = 0; i < HOLDERS; i++) {
			assertThat(tryAcquireInANewInstance(runner, JOBS + ".hold:" + this.run + "-" + i))
				.as("lock %d free for the next instance at once", i)
				.isTrue();
		}
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
	}

	private void closeUnderLoad(ApplicationContextRunner runner) throws Exception {
		Set<Thread> before = distlockThreads();
		long[] closeNanos = new long[1];
		Load load = new Load();
		try (load) {
			runner.run((context) -> {
				load.start(context.getBean(LockTemplate.class), context.getBean(Jobs.class));
				// Busy calls fail fast: wait for work that really ran under a lock from the backend.
				await().atMost(Duration.ofSeconds(20)).until(() -> load.ran.get() > 200);
				assertThat(newThreads(before)).as("distlock threads while locking").isNotEmpty();
				long start = System.nanoTime();
				context.close();
				closeNanos[0] = System.nanoTime() - start;
			});
			// The loopers keep calling into the closed application for a while.
			int attemptsAtClose = load.attempts();
			await().atMost(Duration.ofSeconds(10)).until(() -> load.attempts() > attemptsAtClose + 100);
		}
		assertThat(Duration.ofNanos(closeNanos[0])).as("close took").isLessThan(Duration.ofSeconds(5));
		assertThat(load.unexpected).as("exceptions other than DistributedLockException").isEmpty();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
	}

	/** Whether a fresh application instance on the same backend gets the lock on its first attempt. */
	private static boolean tryAcquireInANewInstance(ApplicationContextRunner runner, String lockId) {
		boolean[] acquired = new boolean[1];
		runner.run((context) -> {
			Optional<LockHandle> handle = context.getBean(LockTemplate.class).tryAcquire(LockRequest.of(lockId));
			acquired[0] = handle.isPresent();
			handle.ifPresent(LockHandle::close);
		});
		return acquired[0];
	}

	/** Whether the closing thread is waiting for held locks to be released. */
	private static boolean isDraining(Thread closer) {
		return Arrays.stream(closer.getStackTrace())
			.anyMatch((frame) -> frame.getClassName().equals(HeldLocksDrain.class.getName()));
	}

	private static Set<Thread> distlockThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith("distlock-"))
			.collect(Collectors.toSet());
	}

	/** The distlock threads alive now that were not before, by name (for the assertion message). */
	private static List<String> newThreads(Set<Thread> before) {
		return distlockThreads().stream().filter((thread) -> !before.contains(thread)).map(Thread::getName).toList();
	}

	/** Threads that keep locking a few hot ids, half through the annotation, half through LockTemplate. */
	private final class Load implements AutoCloseable {

		final AtomicBoolean stop = new AtomicBoolean();

		final AtomicInteger calls = new AtomicInteger();

		final AtomicInteger ran = new AtomicInteger();

		final AtomicInteger lockExceptions = new AtomicInteger();

		final Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

		final List<Thread> loopers = new ArrayList<>();

		void start(LockTemplate template, Jobs jobs) {
			for (int t = 0; t < LOOPERS; t++) {
				boolean annotated = t % 2 == 0;
				Thread looper = new Thread(() -> {
					for (int n = 0; !this.stop.get(); n++) {
						String key = ShutdownWithLocksHeldTests.this.run + "-hot-" + (n % 3);
						try {
							if (annotated) {
								jobs.quick(key, this.ran::incrementAndGet);
							}
							else {
								template.tryRun(LockRequest.of(key), this.ran::incrementAndGet);
							}
							this.calls.incrementAndGet();
						}
						catch (DistributedLockException ex) {
							this.lockExceptions.incrementAndGet();
						}
						catch (Throwable ex) {
							this.unexpected.add(ex);
						}
					}
				}, "looper-" + t);
				looper.start();
				this.loopers.add(looper);
			}
		}

		/** Calls that returned or threw a DistributedLockException. */
		int attempts() {
			return this.calls.get() + this.lockExceptions.get();
		}

		/** Stops the loopers, also when the test failed, so none outlives it. */
		@Override
		public void close() throws InterruptedException {
			this.stop.set(true);
			for (Thread looper : this.loopers) {
				looper.join(10_000);
				assertThat(looper.isAlive()).as("%s stopped", looper.getName()).isFalse();
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Jobs {

		private final CountDownLatch entered = new CountDownLatch(HOLDERS);

		private final CountDownLatch finish = new CountDownLatch(1);

		@DistributedLocked(key = "#key")
		public void hold(String key) throws InterruptedException {
			this.entered.countDown();
			if (!this.finish.await(20, TimeUnit.SECONDS)) {
				throw new IllegalStateException("never told to finish");
			}
		}

		@DistributedLocked(key = "#key")
		public void quick(String key, Runnable inside) {
			inside.run();
		}

		public boolean awaitEntered() throws InterruptedException {
			return this.entered.await(10, TimeUnit.SECONDS);
		}

		public void finish() {
			this.finish.countDown();
		}

	}

}
