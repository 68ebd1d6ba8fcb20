package dev.distlock.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A lock with N permits has at most N holders at once, across instances and threads of one instance;
 * everything else is as for a plain lock: reentry takes no second permit, tokens never repeat, a
 * released permit can be taken again.
 */
class PermitsTests {

	@AutoClose
	final TestCluster cluster = new TestCluster();

	@AutoClose("shutdownNow")
	final ExecutorService executor = Executors.newCachedThreadPool();

	final LockEngine instanceA = this.cluster.instance("instance-a");

	final LockEngine instanceB = this.cluster.instance("instance-b");

	final LockRequest partner = LockRequest.of("partner-api").permits(3);

	@Test
	void threeHoldersAcrossInstancesGetAPermitAndTheFourthIsBusyUntilOneReleases() {
		List<LockHandle> held = new ArrayList<>();
		held.add(this.instanceA.acquire(this.partner));
		held.add(onOtherThread(this.instanceA, this.partner).orElseThrow());
		held.add(this.instanceB.acquire(this.partner));
		assertThat(onOtherThread(this.instanceB, this.partner)).as("a fourth holder").isEmpty();
		assertThat(onOtherThread(this.instanceA, this.partner)).as("a third thread of instance A").isEmpty();
		held.get(0).close();
		Optional<LockHandle> next = onOtherThread(this.instanceB, this.partner);
		assertThat(next).as("the released permit").isPresent();
		next.get().close();
		held.forEach(LockHandle::close);
	}

	@Test
	void theInJvmGateAdmitsAsManyThreadsAsPermits() {
		List<LockHandle> held = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			held.add(onOtherThread(this.instanceA, this.partner).orElseThrow());
		}
		assertThat(onOtherThread(this.instanceA, this.partner)).isEmpty();
		assertThat(this.instanceA.heldLocks()).extracting(HeldLock::lock).containsOnly("partner-api").hasSize(3);
		assertThat(this.instanceA.heldLocks()).extracting(HeldLock::permits).containsOnly(3);
		held.forEach(LockHandle::close);
		assertThat(this.instanceA.heldLocks()).isEmpty();
	}

	@Test
	void aHolderReentersWithoutTakingASecondPermit() {
		try (LockHandle outer = this.instanceA.acquire(this.partner)) {
			int callsBefore = this.cluster.provider.tryAcquireCalls();
			try (LockHandle inner = this.instanceA.acquire(this.partner)) {
				assertThat(inner.fencingToken()).isEqualTo(outer.fencingToken());
			}
			assertThat(this.cluster.provider.tryAcquireCalls()).isEqualTo(callsBefore);
			assertThat(this.instanceA.heldLocks()).hasSize(1);
		}
	}

	@Test
	void fencingTokensNeverRepeatAcrossPermitsAndGrants() {
		Set<Long> tokens = new HashSet<>();
		for (int round = 0; round < 20; round++) {
			List<LockHandle> held = new ArrayList<>();
			held.add(this.instanceA.acquire(this.partner));
			held.add(onOtherThread(this.instanceB, this.partner).orElseThrow());
			for (LockHandle handle : held) {
				assertThat(handle.fencingToken()).isPositive();
				assertThat(tokens.add(handle.fencingToken())).as("token %s is new", handle.fencingToken()).isTrue();
			}
			held.forEach(LockHandle::close);
		}
	}

	@Test
	void aWaiterIsWokenWhenAnyPermitIsReleased() {
		List<LockHandle> held = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			held.add(onOtherThread(this.instanceA, this.partner).orElseThrow());
		}
		CompletableFuture<Optional<LockHandle>> waiter = CompletableFuture
			.supplyAsync(() -> this.instanceB.tryAcquire(this.partner.waitTime(Duration.ofSeconds(20))), this.executor);
		held.get(2).close();
		Optional<LockHandle> woken = waiter.join();
		assertThat(woken).isPresent();
		woken.get().close();
		held.forEach(LockHandle::close);
	}

	@Test
	void aPlainLockIsOnePermit() {
		assertThat(LockRequest.of("x").permits()).isEqualTo(1);
		try (LockHandle handle = this.instanceA.acquire(LockRequest.of("plain"))) {
			assertThat(this.cluster.provider.listLocks()).extracting((lock) -> lock.lockId()).containsExactly("plain");
			assertThat(this.instanceA.heldLock("plain")).get().extracting(HeldLock::permits).isEqualTo(1);
		}
	}

	@Test
	void zeroPermitsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> LockRequest.of("x").permits(0))
			.withMessageContaining("permits");
	}

	/** On a new thread each time: a pooled thread that already holds a permit would re-enter it. */
	private static Optional<LockHandle> onOtherThread(LockEngine engine, LockRequest request) {
		FutureTask<Optional<LockHandle>> task = new FutureTask<>(() -> engine.tryAcquire(request));
		new Thread(task, "permit-taker").start();
		try {
			return task.get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
