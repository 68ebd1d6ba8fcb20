package dev.distlock.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watchdog renews auto-renewed leases every {@code leaseTime / 3}, batched per provider; a lease
 * that is not renewed ends after its lease time.
 */
class LeaseWatchdogTests {

	@AutoClose
	final TestCluster cluster = new TestCluster();

	final LockEngine instanceA = this.cluster.instance("instance-a");

	final LockEngine instanceB = this.cluster.instance("instance-b");

	@Test
	void anAutoRenewedLeaseOutlivesItsLeaseTimeAndStaysExclusive() {
		LockRequest request = LockRequest.of("renewed").leaseTime(Duration.ofMillis(300));
		try (LockHandle handle = this.instanceA.acquire(request)) {
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
				.until(() -> handle.isValid() && this.instanceB.tryAcquire(request).isEmpty());
			assertThat(handle.expiresAt()).isAfter(handle.acquiredAt().plusSeconds(1));
			assertThat(this.instanceA.heldLock("renewed")).hasValueSatisfying(
					(held) -> assertThat(held.renewals()).isGreaterThanOrEqualTo(5));
			assertThat(this.cluster.observer.renewals).hasValueGreaterThanOrEqualTo(5);
			assertThat(this.instanceA.leasesLost()).isZero();
		}
		assertThat(this.instanceB.tryAcquire(LockRequest.of("renewed"))).hasValueSatisfying(LockHandle::close);
	}

	@Test
	void aLeaseWithoutAutoRenewBecomesInvalidAfterItsLeaseTimeAndStaysInvalid() {
		LockRequest request = LockRequest.of("unrenewed").leaseTime(Duration.ofMillis(300)).autoRenew(false);
		LockHandle handle = this.instanceA.acquire(request);
		assertThat(handle.isValid()).isTrue();
		await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> !handle.isValid());
		assertThat(this.instanceB.tryAcquire(request)).hasValueSatisfying((next) -> {
			assertThat(handle.isValid()).isFalse();
			assertThat(next.fencingToken()).isGreaterThan(handle.fencingToken());
			next.close();
		});
		assertThat(this.cluster.provider.extendAllBatchSizes()).isEmpty();
		handle.close();
		assertThat(handle.isValid()).isFalse();
	}

	@Test
	void manyLeasesAreRenewedTogetherInOneBatchPerPass() {
		List<LockHandle> handles = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			handles.add(this.instanceA.acquire(LockRequest.of("batched-" + i).leaseTime(Duration.ofMillis(900))));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.cluster.provider.extendAllBatchSizes().size() >= 3);
		assertThat(this.cluster.provider.extendAllBatchSizes()).allSatisfy((size) -> assertThat(size).isEqualTo(20));
		assertThat(this.cluster.provider.extendCalls()).as("no lease renewed on its own").isZero();
		assertThat(handles).allMatch(LockHandle::isValid);
		handles.forEach(LockHandle::close);
	}

	@Test
	void leasesOfSeveralInstancesOnOneProviderShareTheBatch() {
		LockHandle a = this.instanceA.acquire(LockRequest.of("shared-batch-a").leaseTime(Duration.ofMillis(900)));
		LockHandle b = this.instanceB.acquire(LockRequest.of("shared-batch-b").leaseTime(Duration.ofMillis(900)));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.cluster.provider.extendAllBatchSizes().size() >= 2);
		assertThat(this.cluster.provider.extendAllBatchSizes()).allSatisfy((size) -> assertThat(size).isEqualTo(2));
		a.close();
		b.close();
	}

	@Test
	void closedHandlesAreNoLongerRenewed() {
		LockHandle handle = this.instanceA.acquire(LockRequest.of("closed").leaseTime(Duration.ofMillis(300)));
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.cluster.provider.extendAllBatchSizes().isEmpty());
		handle.close();
		assertThat(this.cluster.watchdog.renewingCount()).isZero();
		int passes = this.cluster.provider.extendAllBatchSizes().size();
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
			.until(() -> this.cluster.provider.extendAllBatchSizes().size() == passes);
	}

	@Test
	void theWatchdogRunsOnADaemonThreadThatCloseStops() {
		Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
		LeaseWatchdog watchdog = new LeaseWatchdog();
		LockEngine engine = new LockEngine(this.cluster.provider, watchdog, EngineSettings.defaults("own-watchdog"),
				LockEngineObserver.NOOP);
		LockHandle handle = engine.acquire(LockRequest.of("own-watchdog").leaseTime(Duration.ofMillis(300)));
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.cluster.provider.extendAllBatchSizes().isEmpty());
		List<Thread> started = Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> !before.contains(thread) && thread.getName().startsWith("distlock-watchdog-"))
			.toList();
		assertThat(started).hasSize(1).allMatch(Thread::isDaemon);
		watchdog.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> !started.get(0).isAlive());
		handle.close();
	}

}
