package dev.distlock.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import dev.distlock.LockContext;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * A handle is owned by its lease, not by a thread; {@link LockContext#current()} shows the innermost
 * lock of the current thread.
 */
class LockHandleTests {

	@AutoClose
	final TestCluster cluster = new TestCluster();

	@AutoClose("shutdownNow")
	final ExecutorService executor = Executors.newCachedThreadPool();

	final LockEngine instanceA = this.cluster.instance("instance-a");

	final LockEngine instanceB = this.cluster.instance("instance-b");

	@Test
	void aHandleClosedOnAnotherThreadReleasesTheLock() throws Exception {
		LockHandle handle = this.instanceA.acquire(LockRequest.of("handed-over"));
		CompletableFuture.runAsync(handle::close, this.executor).get(10, TimeUnit.SECONDS);
		assertThat(this.instanceB.tryAcquire(LockRequest.of("handed-over"))).hasValueSatisfying(LockHandle::close);
		assertThat(LockContext.current()).as("the acquiring thread no longer sees the closed handle").isEmpty();
		assertThat(this.instanceA.heldLocks()).isEmpty();
	}

	@Test
	void aLockClosedOnAnotherThreadCanBeAcquiredAgainByTheOriginalThread() throws Exception {
		LockHandle handle = this.instanceA.acquire(LockRequest.of("handed-over"));
		CompletableFuture.runAsync(handle::close, this.executor).get(10, TimeUnit.SECONDS);
		try (LockHandle again = this.instanceA.acquire(LockRequest.of("handed-over"))) {
			assertThat(again.fencingToken()).as("a new grant, not a re-entry").isGreaterThan(handle.fencingToken());
		}
	}

	@Test
	void closeIsIdempotentAndASecondCloseDoesNotReleaseTheNextHolder() {
		LockHandle first = this.instanceA.acquire(LockRequest.of("idempotent"));
		first.close();
		LockHandle next = this.instanceB.acquire(LockRequest.of("idempotent"));
		assertThatNoException().isThrownBy(first::close);
		assertThat(next.isValid()).isTrue();
		assertThat(this.instanceA.tryAcquire(LockRequest.of("idempotent"))).isEmpty();
		next.close();
		next.close();
		assertThat(this.cluster.observer.releases).hasValue(2);
	}

	@Test
	void lockContextShowsTheInnermostLockAndForgetsEachLockWhenItCloses() {
		assertThat(LockContext.current()).isEmpty();
		LockHandle outer = this.instanceA.acquire(LockRequest.of("outer"));
		assertThat(LockContext.current()).containsSame(outer);
		LockHandle inner = this.instanceA.acquire(LockRequest.of("inner"));
		assertThat(LockContext.current()).containsSame(inner);
		LockHandle reentry = this.instanceA.acquire(LockRequest.of("outer"));
		assertThat(LockContext.current()).hasValueSatisfying((current) -> {
			assertThat(current.lockId()).isEqualTo("outer");
			assertThat(current.fencingToken()).isEqualTo(outer.fencingToken());
		});
		reentry.close();
		assertThat(LockContext.current()).containsSame(inner);
		inner.close();
		assertThat(LockContext.current()).containsSame(outer);
		outer.close();
		assertThat(LockContext.current()).isEmpty();
	}

	@Test
	void lockContextIsPerThread() throws Exception {
		try (LockHandle handle = this.instanceA.acquire(LockRequest.of("mine"))) {
			assertThat(CompletableFuture.supplyAsync(LockContext::current, this.executor).get(10, TimeUnit.SECONDS))
				.isEmpty();
			assertThat(LockContext.current()).containsSame(handle);
		}
	}

	@Test
	void handlesClosedOnOtherThreadsDoNotPileUpOnTheAcquiringThread() throws Exception {
		for (int i = 0; i < 200; i++) {
			LockHandle handle = this.instanceA.acquire(LockRequest.of("dispatched-" + (i % 5)));
			CompletableFuture.runAsync(handle::close, this.executor).get(10, TimeUnit.SECONDS);
		}
		assertThat(ThreadLockStack.depth()).isLessThanOrEqualTo(1);
		assertThat(LockContext.current()).isEmpty();
	}

	@Test
	void aHandleReportsItsLockTokenAndTimes() {
		try (LockHandle handle = this.instanceA
			.acquire(LockRequest.of("described").leaseTime(Duration.ofSeconds(30)))) {
			assertThat(handle.lockId()).isEqualTo("described");
			assertThat(handle.fencingToken()).isPositive();
			assertThat(handle.expiresAt()).isAfter(handle.acquiredAt());
			assertThat(Duration.between(handle.acquiredAt(), handle.expiresAt())).isLessThanOrEqualTo(
					Duration.ofSeconds(30));
			assertThat(this.instanceA.heldLock("described")).hasValueSatisfying((held) -> {
				assertThat(held.fencingToken()).isEqualTo(handle.fencingToken());
				assertThat(held.source()).isEqualTo(LockOrigin.TEMPLATE_SOURCE);
				assertThat(held.thread()).isEqualTo(Thread.currentThread().getName());
			});
		}
	}

}
