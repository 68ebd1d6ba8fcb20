package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;

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

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
