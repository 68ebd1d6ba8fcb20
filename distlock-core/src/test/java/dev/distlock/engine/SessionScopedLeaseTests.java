package dev.distlock.engine;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import dev.distlock.LockBackendException;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a session-scoped provider (no backend TTL) the engine ends leases itself: at lease end without
 * auto-renewal, after the minimum hold, as soon as the backend refuses a lease, and when the holder
 * of a lease that ran out unconfirmed leaves.
 */
class SessionScopedLeaseTests {

	final FaultInjectingLockProvider provider = new FaultInjectingLockProvider(true);

	@AutoClose
	final LeaseWatchdog watchdog = new LeaseWatchdog();

	final LockEngine instanceA = instance("instance-a");

	final LockEngine instanceB = instance("instance-b");

	@Test
	void anUnrenewedLeaseIsReleasedByTheEngineWhenItsLeaseTimeEnds() {
		LockRequest request = LockRequest.of("session-unrenewed").leaseTime(Duration.ofMillis(300)).autoRenew(false);
		LockHandle handle = this.instanceA.acquire(request);
		assertThat(this.instanceB.tryAcquire(request)).isEmpty();
		LockHandle next = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
			.until(() -> this.instanceB.tryAcquire(request).orElse(null), (h) -> h != null);
		assertThat(handle.isValid()).isFalse();
		assertThat(next.fencingToken()).isGreaterThan(handle.fencingToken());
		handle.close();
		assertThat(next.isValid()).isTrue();
		next.close();
	}

	@Test
	void aLockReleasedBeforeItsMinimumHoldTimeIsReleasedWhenTheHoldEnds() {
		LockRequest request = LockRequest.of("session-min-hold").minHoldTime(Duration.ofMillis(500));
		this.instanceA.acquire(request).close();
		assertThat(this.instanceB.tryAcquire(request)).isEmpty();
		try (LockHandle next = this.instanceB.acquire(request.waitTime(Duration.ofSeconds(10)))) {
			assertThat(next.isValid()).isTrue();
		}
	}

	@Test
	void aLeaseTheEngineNoLongerTrustsIsReleasedFromTheSessionWithoutWaitingForClose() {
		LockRequest request = LockRequest.of("session-lost").leaseTime(Duration.ofMillis(300));
		LockHandle handle = this.instanceA.acquire(request);
		this.provider.refuseRenewals();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.instanceA.leasesLost() == 1);
		this.provider.heal();
		LockHandle next = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
			.until(() -> this.instanceB.tryAcquire(request).orElse(null), (h) -> h != null);
		handle.close();
		assertThat(next.isValid()).as("the late close released nothing").isTrue();
		assertThat(this.instanceA.tryAcquire(request)).isEmpty();
		next.close();
	}

	@Test
	void aLeaseThatRanOutUnconfirmedStaysInItsSessionUntilItsHolderLeaves() {
		LockRequest request = LockRequest.of("session-unconfirmed").leaseTime(Duration.ofMillis(1500));
		LockHandle handle = this.instanceA.acquire(request);
		this.provider.failWith(() -> new LockBackendException("backend unreachable"));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.instanceA.leasesLost() == 1);
		this.provider.heal();
		assertThat(handle.isValid()).isFalse();
		// The session may still hold it and the holder may still be inside (a holder frozen past its
		// lease resumes there): releasing it now would let another in beside it.
		await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(1))
			.until(() -> this.instanceB.tryAcquire(request).isEmpty());
		handle.close();
		try (LockHandle next = this.instanceB.acquire(request.waitTime(Duration.ofSeconds(5)))) {
			assertThat(next.fencingToken()).isGreaterThan(handle.fencingToken());
		}
	}

	@Test
	void anAutoRenewedSessionLeaseStaysHeldPastItsLeaseTime() {
		LockRequest request = LockRequest.of("session-renewed").leaseTime(Duration.ofMillis(600));
		try (LockHandle handle = this.instanceA.acquire(request)) {
			await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(4))
				.until(() -> handle.isValid() && this.instanceB.tryAcquire(request).isEmpty());
		}
		assertThat(this.instanceB.tryAcquire(request)).hasValueSatisfying(LockHandle::close);
	}

	private LockEngine instance(String name) {
		return new LockEngine(this.provider, this.watchdog,
				new EngineSettings(name, Duration.ofSeconds(30), Duration.ZERO, false, Clock.systemUTC()),
				LockEngineObserver.NOOP);
	}

}
