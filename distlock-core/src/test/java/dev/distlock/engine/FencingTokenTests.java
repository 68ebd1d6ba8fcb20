package dev.distlock.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every acquisition that is not a re-entry is a new grant with a strictly larger fencing token,
 * whichever thread or instance makes it.
 */
class FencingTokenTests {

	@AutoClose
	final TestCluster cluster = new TestCluster();

	@AutoClose("shutdownNow")
	final ExecutorService executor = Executors.newCachedThreadPool();

	final LockRequest request = LockRequest.of("fenced").waitTime(Duration.ofSeconds(20));

	@Test
	void tokensStrictlyIncreaseAcrossThreadsOfOneInstanceAndAcrossInstances() throws Exception {
		List<LockEngine> instances = List.of(this.cluster.instance("instance-a"), this.cluster.instance("instance-b"));
		List<Long> grantOrder = new ArrayList<>(); // written only under the lock
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> workers = new ArrayList<>();
		for (LockEngine instance : instances) {
			for (int thread = 0; thread < 3; thread++) {
				workers.add(this.executor.submit(() -> {
					start.await();
					for (int i = 0; i < 20; i++) {
						try (LockHandle handle = instance.acquire(this.request)) {
							grantOrder.add(handle.fencingToken());
						}
					}
					return null;
				}));
			}
		}
		start.countDown();
		for (Future<?> worker : workers) {
			worker.get(30, TimeUnit.SECONDS);
		}
		assertThat(grantOrder).hasSize(120).isSorted().doesNotHaveDuplicates().allSatisfy((token) -> assertThat(token).isPositive());
	}

	@Test
	void twoSequentialGrantsToOneThreadGetDifferentIncreasingTokens() {
		LockEngine instance = this.cluster.instance("instance-a");
		long first;
		try (LockHandle handle = instance.acquire(this.request)) {
			first = handle.fencingToken();
		}
		try (LockHandle handle = instance.acquire(this.request)) {
			assertThat(handle.fencingToken()).isGreaterThan(first);
		}
	}

	@Test
	void aGrantAfterAnExpiredLeaseGetsALargerToken() {
		LockEngine instanceA = this.cluster.instance("instance-a");
		LockEngine instanceB = this.cluster.instance("instance-b");
		LockHandle expiring = instanceA
			.acquire(LockRequest.of("fenced").leaseTime(Duration.ofMillis(200)).autoRenew(false));
		LockHandle next = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
			.until(() -> instanceB.tryAcquire(LockRequest.of("fenced")).orElse(null), (handle) -> handle != null);
		assertThat(next.fencingToken()).isGreaterThan(expiring.fencingToken());
		expiring.close();
		assertThat(next.isValid()).as("closing the expired handle does not release the new holder").isTrue();
		next.close();
	}

}
