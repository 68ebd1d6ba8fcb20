package dev.distlock.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a provider that notifies releases, a waiting instance is woken by the release instead of
 * finding it on its next (slow) poll.
 */
class WaiterWakeUpTests {

	@AutoClose
	final TestCluster cluster = new TestCluster();

	@AutoClose("shutdownNow")
	final ExecutorService executor = Executors.newCachedThreadPool();

	@Test
	void aWaiterAcquiresPromptlyAfterTheHolderReleases() throws Exception {
		LockEngine holder = this.cluster.instance("holder");
		LockEngine waiter = this.cluster.instance("waiter");
		LockHandle held = holder.acquire(LockRequest.of("wake-up"));
		// Release just after the waiter's 8th failed attempt: its polling back-off has by then grown to
		// its maximum (a pause of 250-750 ms), so only the release notification can wake it quickly.
		AtomicInteger busyAttempts = new AtomicInteger();
		CountDownLatch backedOff = new CountDownLatch(1);
		this.cluster.provider.onBusy((request) -> {
			if (busyAttempts.incrementAndGet() == 9) {
				backedOff.countDown();
			}
		});
		CompletableFuture<Long> acquiredAt = CompletableFuture.supplyAsync(() -> {
			try (LockHandle handle = waiter.acquire(LockRequest.of("wake-up").waitTime(Duration.ofSeconds(30)))) {
				return System.nanoTime();
			}
		}, this.executor);
		assertThat(backedOff.await(20, TimeUnit.SECONDS)).isTrue();
		long releasedAt = System.nanoTime();
		held.close();
		long latencyMillis = TimeUnit.NANOSECONDS.toMillis(acquiredAt.get(10, TimeUnit.SECONDS) - releasedAt);
		System.out.println("Waiter acquired " + latencyMillis + " ms after the release (fallback poll: 250-750 ms)");
		assertThat(latencyMillis).isLessThan(200);
	}

}
