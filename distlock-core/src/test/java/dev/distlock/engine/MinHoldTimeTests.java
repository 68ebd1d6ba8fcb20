package dev.distlock.engine;

import java.time.Duration;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lock released before its minimum hold time stays held until that time has passed, then frees.
 */
class MinHoldTimeTests {

	@AutoClose
	final TestCluster cluster = new TestCluster();

	final LockEngine instanceA = this.cluster.instance("instance-a");

	final LockEngine instanceB = this.cluster.instance("instance-b");

	@Test
	void aLockReleasedEarlyStaysHeldUntilItsMinimumHoldTimeThenFrees() {
		LockRequest request = LockRequest.of("held-a-while").leaseTime(Duration.ofSeconds(30))
			.minHoldTime(Duration.ofMillis(800));
		long acquired = System.nanoTime();
		LockHandle handle = this.instanceA.acquire(request);
		handle.close();
		assertThat(this.instanceB.tryAcquire(request)).isEmpty();
		assertThat(this.instanceA.tryAcquire(request)).as("the releasing instance too").isEmpty();
		LockHandle next = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
			.until(() -> this.instanceB.tryAcquire(request).orElse(null), (h) -> h != null);
		assertThat(Duration.ofNanos(System.nanoTime() - acquired)).isGreaterThanOrEqualTo(Duration.ofMillis(800))
			.as("freed by the minimum hold, long before the lease").isLessThan(Duration.ofSeconds(20));
		next.close();
	}

	@Test
	void aLockHeldLongerThanItsMinimumHoldTimeIsReleasedAtOnce() {
		LockRequest request = LockRequest.of("held-long-enough").minHoldTime(Duration.ofMillis(100));
		LockHandle handle = this.instanceA.acquire(request);
		await().pollDelay(Duration.ofMillis(150)).until(() -> true);
		handle.close();
		assertThat(this.instanceB.tryAcquire(request)).hasValueSatisfying(LockHandle::close);
	}

	@Test
	void aWaiterGetsTheLockOnceTheMinimumHoldTimeHasPassed() {
		LockRequest request = LockRequest.of("waited-for").minHoldTime(Duration.ofMillis(500));
		this.instanceA.acquire(request).close();
		try (LockHandle next = this.instanceB.acquire(request.waitTime(Duration.ofSeconds(10)))) {
			assertThat(next.isValid()).isTrue();
		}
	}

}
