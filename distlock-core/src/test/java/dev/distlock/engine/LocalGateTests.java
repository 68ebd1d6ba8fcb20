package dev.distlock.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * Threads of one instance that want the same lock queue on the in-JVM gate: only the thread that
 * passed it talks to the backend.
 */
class LocalGateTests {

	@AutoClose
	final TestCluster cluster = new TestCluster();

	@AutoClose("shutdownNow")
	final ExecutorService executor = Executors.newCachedThreadPool();

	final LockEngine instance = this.cluster.instance("instance-a");

	final LockRequest request = LockRequest.of("gate").waitTime(Duration.ofSeconds(20));

	@Test
	void aSecondThreadWaitsOnTheGateWithoutCallingTheBackendAndGetsTheLockWithALargerTokenAfterTheFirstCloses()
			throws Exception {
		LockHandle first = this.instance.acquire(this.request);
		assertThat(this.cluster.provider.tryAcquireCalls()).isEqualTo(1);
		CompletableFuture<LockHandle> second = CompletableFuture.supplyAsync(() -> this.instance.acquire(this.request),
				this.executor);
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
			.until(() -> !second.isDone() && this.cluster.provider.tryAcquireCalls() == 1);
		first.close();
		LockHandle secondHandle = second.get(10, TimeUnit.SECONDS);
		assertThat(secondHandle.fencingToken()).isGreaterThan(first.fencingToken());
		assertThat(this.cluster.provider.tryAcquireCalls()).as("one backend call per thread").isEqualTo(2);
		secondHandle.close();
	}

	@Test
	void manyThreadsOfOneInstanceNeverCallTheBackendConcurrentlyForOneLock() throws Exception {
		int threads = 8;
		int rounds = 25;
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			workers.add(this.executor.submit(() -> {
				start.await();
				for (int i = 0; i < rounds; i++) {
					try (LockHandle handle = this.instance.acquire(this.request)) {
						Thread.yield();
					}
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> worker : workers) {
			worker.get(30, TimeUnit.SECONDS);
		}
		assertThat(this.cluster.provider.maxAcquiresInFlightPerLock()).isEqualTo(1);
		assertThat(this.cluster.provider.tryAcquireCalls()).as("every thread passed the gate to a free lock")
			.isEqualTo(threads * rounds);
	}

	@Test
	void aThreadThatCannotPassTheGateWithinTheWaitTimeGetsNothingAndNoBackendCall() {
		try (LockHandle held = this.instance.acquire(this.request)) {
			CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(
					() -> this.instance.tryAcquire(this.request.waitTime(Duration.ofMillis(200))).isPresent(),
					this.executor);
			assertThat(other.join()).isFalse();
			assertThat(this.cluster.provider.tryAcquireCalls()).isEqualTo(1);
		}
	}

	@Test
	void differentLocksDoNotShareAGate() throws Exception {
		try (LockHandle held = this.instance.acquire(this.request)) {
			LockHandle other = CompletableFuture
				.supplyAsync(() -> this.instance.acquire(LockRequest.of("another-gate")), this.executor)
				.get(10, TimeUnit.SECONDS);
			assertThat(other.isValid()).isTrue();
			other.close();
		}
	}

}
