package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing the application waits for work that still holds a lock, so its lease stays renewed while
 * it runs, and bounds that wait.
 */
class HeldLocksDrainTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class))
		.withPropertyValues("distlock.provider=in-memory");

	@Test
	void closingWaitsUntilHeldLocksAreReleased() throws Exception {
		CountDownLatch acquired = new CountDownLatch(1);
		AtomicBoolean validUntilTheEnd = new AtomicBoolean();
		Thread[] worker = new Thread[1];
		long[] closeTook = new long[1];
		this.runner.withPropertyValues("distlock.lease-time=300ms").run((context) -> {
			LockTemplate template = context.getBean(LockTemplate.class);
			worker[0] = new Thread(() -> {
				try (LockHandle handle = template.acquire(LockRequest.of("long-job"))) {
					acquired.countDown();
					sleep(1500); // several lease times: only the watchdog keeps it valid
					validUntilTheEnd.set(handle.isValid());
				}
			});
			worker[0].start();
			assertThat(acquired.await(10, TimeUnit.SECONDS)).isTrue();
			long start = System.nanoTime();
			context.close();
			closeTook[0] = System.nanoTime() - start;
		});
		worker[0].join(10_000);
		assertThat(validUntilTheEnd).as("lease still renewed while the job finished").isTrue();
		assertThat(Duration.ofNanos(closeTook[0])).isGreaterThan(Duration.ofMillis(500));
	}

	@Test
	void closingGivesUpAfterTheShutdownPhaseTimeout() throws Exception {
		CountDownLatch acquired = new CountDownLatch(1);
		long[] closeTook = new long[1];
		this.runner.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=300ms").run((context) -> {
			LockHandle leaked = context.getBean(LockTemplate.class).acquire(LockRequest.of("never-released"));
			acquired.countDown();
			long start = System.nanoTime();
			context.close();
			closeTook[0] = System.nanoTime() - start;
			assertThat(leaked.fencingToken()).isPositive();
		});
		assertThat(Duration.ofNanos(closeTook[0])).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void theDrainRunsWhileTheProvidersOwnLifecycleClientStillWorks() throws Exception {
		// Spring Data Redis's connection factories are such clients: they stop in phase 0, while the
		// drain's own phase is the last one.
		CountDownLatch acquired = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread[] worker = new Thread[1];
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class))
			.withUserConfiguration(ClientBackedProvider.class)
			.run((context) -> {
				LockTemplate template = context.getBean(LockTemplate.class);
				LockClient client = context.getBean(LockClient.class);
				worker[0] = new Thread(() -> {
					try (LockHandle handle = template.acquire(LockRequest.of("released-while-draining"))) {
						acquired.countDown();
						await(release);
					}
				});
				worker[0].start();
				assertThat(acquired.await(10, TimeUnit.SECONDS)).isTrue();
				Thread closer = new Thread(context::close);
				closer.start();
				// Released once the closer is draining, or once it stopped the client without draining first.
				while (closer.isAlive() && client.isRunning() && Arrays.stream(closer.getStackTrace())
					.noneMatch((frame) -> frame.getClassName().equals(HeldLocksDrain.class.getName()))) {
					sleep(10);
				}
				release.countDown();
				closer.join(10_000);
				assertThat(client.releases()).isEqualTo(1);
				assertThat(client.releasesWhileStopped()).as("releases after the client stopped").isZero();
			});
		worker[0].join(10_000);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A backend client with a lifecycle of its own, stopped in phase 0. */
	static class LockClient implements SmartLifecycle {

		private volatile boolean running;

		private final AtomicInteger releases = new AtomicInteger();

		private final AtomicInteger releasesWhileStopped = new AtomicInteger();

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return 0;
		}

		void released() {
			this.releases.incrementAndGet();
			if (!this.running) {
				this.releasesWhileStopped.incrementAndGet();
			}
		}

		int releases() {
			return this.releases.get();
		}

		int releasesWhileStopped() {
			return this.releasesWhileStopped.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClientBackedProvider {

		@Bean
		LockClient lockClient() {
			return new LockClient();
		}

		@Bean
		LockProvider clientBackedProvider(LockClient client) {
			return new ForwardingLockProvider(new InMemoryLockProvider()) {

				@Override
				public void release(Lease lease) {
					client.released();
					super.release(lease);
				}

			};
		}

	}

}
