package dev.distlock.engine;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread that holds a lock re-enters it at once, with the same fencing token and no backend call;
 * the lock is released only when the outermost handle closes.
 */
class ReentrancyTests {

	@AutoClose
	final TestCluster cluster = new TestCluster();

	@AutoClose("shutdownNow")
	final ExecutorService executor = Executors.newCachedThreadPool();

	final LockEngine instanceA = this.cluster.instance("instance-a");

	final LockEngine instanceB = this.cluster.instance("instance-b");

	final LockRequest request = LockRequest.of("reentrant");

	@Test
	void theHoldingThreadReentersAtOnceWithTheSameTokenAndNoBackendCall() {
		try (LockHandle outer = this.instanceA.acquire(this.request)) {
			int callsBefore = this.cluster.provider.tryAcquireCalls();
			try (LockHandle inner = this.instanceA.acquire(this.request.waitTime(Duration.ZERO))) {
				assertThat(inner.fencingToken()).isEqualTo(outer.fencingToken());
				assertThat(inner.lockId()).isEqualTo(outer.lockId());
				assertThat(inner.isValid()).isTrue();
			}
			assertThat(this.cluster.provider.tryAcquireCalls()).isEqualTo(callsBefore);
		}
	}

	@Test
	void closingTheInnerHandleKeepsTheLock() {
		try (LockHandle outer = this.instanceA.acquire(this.request)) {
			this.instanceA.acquire(this.request).close();
			assertThat(outer.isValid()).isTrue();
			assertThat(this.instanceA.heldLocks()).extracting(HeldLock::lock).containsExactly("reentrant");
			assertThat(this.instanceB.tryAcquire(this.request)).isEmpty();
			try (LockHandle again = this.instanceA.acquire(this.request)) {
				assertThat(again.fencingToken()).isEqualTo(outer.fencingToken());
			}
		}
		assertThat(this.instanceA.heldLocks()).isEmpty();
	}

	@Test
	void anotherThreadOfTheSameInstanceCannotReenter() {
		try (LockHandle outer = this.instanceA.acquire(this.request)) {
			Optional<LockHandle> other = CompletableFuture
				.supplyAsync(() -> this.instanceA.tryAcquire(this.request), this.executor)
				.join();
			assertThat(other).isEmpty();
		}
	}

	@Test
	void afterTheOuterHandleClosesTheLockIsFreeForOtherInstances() {
		LockHandle outer = this.instanceA.acquire(this.request);
		LockHandle inner = this.instanceA.acquire(this.request);
		inner.close();
		outer.close();
		Optional<LockHandle> other = this.instanceB.tryAcquire(this.request);
		assertThat(other).isPresent();
		assertThat(other.get().fencingToken()).isGreaterThan(outer.fencingToken());
		other.get().close();
	}

	@Test
	void closingTheOuterHandleFirstReleasesTheLockAndEndsTheInnerOne() {
		LockHandle outer = this.instanceA.acquire(this.request);
		LockHandle inner = this.instanceA.acquire(this.request);
		outer.close();
		assertThat(this.instanceB.tryAcquire(this.request)).hasValueSatisfying(LockHandle::close);
		inner.close();
	}

	@Test
	void reentryIsNotCountedAsAnAcquisition() {
		try (LockHandle outer = this.instanceA.acquire(this.request);
				LockHandle inner = this.instanceA.acquire(this.request)) {
			assertThat(this.cluster.observer.outcomes).containsExactly("acquired");
		}
		assertThat(this.cluster.observer.releases).hasValue(1);
	}

}
