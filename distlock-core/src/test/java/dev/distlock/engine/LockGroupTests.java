package dev.distlock.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import dev.distlock.LockContext;
import dev.distlock.LockGroup;
import dev.distlock.LockHandle;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.LockRequest;
import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Several locks at once: taken in ascending lock-id order (as strings), each distinct id once, all or
 * nothing within one wait budget, released in reverse order.
 */
class LockGroupTests {

	@AutoClose
	final TestCluster cluster = new TestCluster();

	@AutoClose("shutdownNow")
	final ExecutorService executor = Executors.newCachedThreadPool();

	final Queue<String> calls = new ConcurrentLinkedQueue<>();

	final LockEngine instanceA = new LockEngine(new ForwardingLockProvider(this.cluster.provider) {
		@Override
		public Optional<Lease> tryAcquire(LeaseRequest request) {
			LockGroupTests.this.calls.add("acquire " + request.lockId());
			return super.tryAcquire(request);
		}

		@Override
		public void release(Lease lease) {
			LockGroupTests.this.calls.add("release " + lease.lockId());
			super.release(lease);
		}
	}, this.cluster.watchdog, EngineSettings.defaults("instance-a"), LockEngineObserver.NOOP);

	final LockEngine instanceB = this.cluster.instance("instance-b");

	@Test
	void locksAreTakenInAscendingStringOrderEachIdOnceAndReleasedInReverse() {
		try (LockGroup group = this.instanceA.acquireAll(List.of(LockRequest.of("account:9"),
				LockRequest.of("account:10"), LockRequest.of("account:9")))) {
			assertThat(group.handles()).extracting(LockHandle::lockId).containsExactly("account:10", "account:9");
			assertThat(LockContext.all()).extracting(LockHandle::lockId).containsExactly("account:10", "account:9");
			assertThat(LockContext.current()).get().extracting(LockHandle::lockId).isEqualTo("account:9");
			assertThat(group.handle("account:9").fencingToken()).isPositive();
			assertThat(group.isValid()).isTrue();
		}
		assertThat(this.calls).containsExactly("acquire account:10", "acquire account:9", "release account:9",
				"release account:10");
		assertThat(LockContext.all()).isEmpty();
	}

	@Test
	void whenOneLockStaysBusyThoseTakenBeforeItAreReleasedAndNothingIsHeld() {
		try (LockHandle nine = this.instanceB.acquire(LockRequest.of("account:9"))) {
			Optional<LockGroup> group = this.instanceA.tryAcquireAll(
					List.of(LockRequest.of("account:9"), LockRequest.of("account:10").waitTime(Duration.ofMillis(100))));
			assertThat(group).isEmpty();
			assertThat(this.instanceA.heldLocks()).isEmpty();
			assertThat(this.calls).contains("acquire account:10", "release account:10");
			assertThat(this.instanceB.tryAcquire(LockRequest.of("account:10"))).as("account:10 is free again")
				.hasValueSatisfying(LockHandle::close);
			assertThatExceptionOfType(LockNotAcquiredException.class)
				.isThrownBy(() -> this.instanceA.acquireAll(List.of(LockRequest.of("account:10"), LockRequest.of("account:9"))))
				.withMessageContaining("account:9");
		}
	}

	@Test
	void theWaitBudgetIsTheLargestWaitTimeAndSharedByTheWholeGroup() {
		LockHandle nine = this.instanceB.acquire(LockRequest.of("account:9"));
		CompletableFuture<Optional<LockGroup>> waiting = CompletableFuture.supplyAsync(
				() -> this.instanceA.tryAcquireAll(List.of(LockRequest.of("account:10"),
						LockRequest.of("account:9").waitTime(Duration.ofSeconds(20)))),
				this.executor);
		nine.close();
		Optional<LockGroup> group = waiting.join();
		assertThat(group).isPresent();
		group.get().close();
		group.get().close();
		assertThat(this.instanceA.heldLocks()).isEmpty();
	}

	@Test
	void aHandleNotInTheGroupIsRefusedAndAnEmptyGroupIsRefused() {
		try (LockGroup group = this.instanceA.acquireAll(List.of(LockRequest.of("a")))) {
			assertThatIllegalArgumentException().isThrownBy(() -> group.handle("b")).withMessageContaining("'b'");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> this.instanceA.acquireAll(List.of()));
	}

	@Test
	void twoCallersLockingOverlappingSetsInOppositeOrdersNeverDeadlock() {
		List<CompletableFuture<Void>> callers = List.of(transfers("account:1", "account:2"),
				transfers("account:2", "account:1"), transfers("account:2", "account:3"),
				transfers("account:3", "account:1"));
		CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).join();
	}

	private CompletableFuture<Void> transfers(String first, String second) {
		LockEngine engine = (first.compareTo(second) < 0) ? this.instanceA : this.instanceB;
		return CompletableFuture.runAsync(() -> {
			for (int i = 0; i < 50; i++) {
				try (LockGroup group = engine.acquireAll(List.of(LockRequest.of(first),
						LockRequest.of(second).waitTime(Duration.ofSeconds(30))))) {
					Thread.onSpinWait();
				}
			}
		}, this.executor);
	}

}
