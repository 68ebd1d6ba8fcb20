package dev.distlock.engine;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link LockHandle#extend(Duration)}: a holder renews on its own schedule. The same rules hold on
 * every provider; the TCK proves the backend side per provider.
 */
class LockHandleExtendTests {

	private static final Duration SHORT = Duration.ofMillis(400);

	@AutoClose
	final TestCluster cluster = new TestCluster();

	final LockEngine instanceA = this.cluster.instance("instance-a");

	final LockEngine instanceB = this.cluster.instance("instance-b");

	@Test
	void extendMovesTheExpiryOfAnUnrenewedLeaseToLeaseTimeFromNow() {
		LockHandle handle = this.instanceA.acquire(LockRequest.of("extended").leaseTime(SHORT).autoRenew(false));
		Instant before = handle.expiresAt();

		assertThat(handle.extend(Duration.ofMinutes(1))).isTrue();

		assertThat(handle.expiresAt()).isAfter(before.plusSeconds(50));
		await().during(SHORT.multipliedBy(2)).atMost(SHORT.multipliedBy(4))
			.until(() -> handle.isValid() && this.instanceB.tryAcquire(LockRequest.of("extended")).isEmpty());
		handle.close();
	}

	@Test
	void extendMayShortenALease() {
		LockHandle handle = this.instanceA.acquire(LockRequest.of("shortened").autoRenew(false));
		assertThat(handle.extend(SHORT)).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> !handle.isValid());
		assertThat(this.instanceB.tryAcquire(LockRequest.of("shortened"))).hasValueSatisfying(LockHandle::close);
		handle.close();
	}

	@Test
	void extendReportsALostLeaseAndTheHandleTurnsInvalid() {
		LockHandle handle = this.instanceA.acquire(LockRequest.of("lost").autoRenew(false));
		this.cluster.provider.refuseRenewals();

		assertThat(handle.extend(Duration.ofMinutes(1))).isFalse();

		assertThat(handle.isValid()).isFalse();
		assertThat(this.instanceA.leasesLost()).isEqualTo(1);
		handle.close();
	}

	@Test
	void extendOfAnEndedOrClosedLeaseIsFalseWithoutAskingTheBackend() {
		LockHandle ended = this.instanceA.acquire(LockRequest.of("ended").leaseTime(SHORT).autoRenew(false));
		await().atMost(Duration.ofSeconds(5)).until(() -> !ended.isValid());
		LockHandle closed = this.instanceA.acquire(LockRequest.of("closed"));
		closed.close();
		int calls = this.cluster.provider.extendCalls();

		assertThat(ended.extend(Duration.ofMinutes(1))).isFalse();
		assertThat(closed.extend(Duration.ofMinutes(1))).isFalse();

		assertThat(this.cluster.provider.extendCalls()).isEqualTo(calls);
		ended.close();
	}

	@Test
	void extendShorterThanTheRestOfTheMinimumHoldIsRefused() {
		try (LockHandle handle = this.instanceA.acquire(LockRequest.of("held").leaseTime(Duration.ofMinutes(5)).minHoldTime(Duration.ofMinutes(1)))) {
			assertThatIllegalArgumentException().isThrownBy(() -> handle.extend(Duration.ofSeconds(5)))
				.withMessageContaining("lock 'held'")
				.withMessageContaining("shorter than the rest of its minHoldTime PT1M");
			assertThat(handle.extend(Duration.ofMinutes(2))).isTrue();
		}
	}

	@Test
	void extendOfANonPositiveLeaseTimeIsRefused() {
		try (LockHandle handle = this.instanceA.acquire(LockRequest.of("positive"))) {
			assertThatIllegalArgumentException().isThrownBy(() -> handle.extend(Duration.ZERO))
				.withMessageContaining("is not positive");
		}
	}

	@Test
	void extendOnAReentrantHandleRenewsTheOuterGrant() {
		LockRequest request = LockRequest.of("reentered").leaseTime(SHORT).autoRenew(false);
		try (LockHandle outer = this.instanceA.acquire(request); LockHandle inner = this.instanceA.acquire(request)) {
			assertThat(inner.fencingToken()).isEqualTo(outer.fencingToken());

			assertThat(inner.extend(Duration.ofMinutes(1))).isTrue();

			await().during(SHORT.multipliedBy(2)).atMost(SHORT.multipliedBy(4)).until(outer::isValid);
			assertThat(outer.expiresAt()).isEqualTo(inner.expiresAt());
		}
	}

	@Test
	void withAutoRenewTheWatchdogKeepsRenewingAnExtendedLease() {
		try (LockHandle handle = this.instanceA.acquire(LockRequest.of("renewed").leaseTime(Duration.ofSeconds(30)))) {
			assertThat(handle.extend(SHORT)).isTrue();
			await().during(SHORT.multipliedBy(3)).atMost(SHORT.multipliedBy(5)).until(handle::isValid);
		}
	}

	@Test
	void onASessionScopedProviderAnExtendedUnrenewedLeaseIsReleasedByTheEngineAtItsNewEnd() {
		FaultInjectingLockProvider sessions = new FaultInjectingLockProvider(true);
		LockEngine a = new LockEngine(sessions, this.cluster.watchdog, EngineSettings.defaults("a"),
				LockEngineObserver.NOOP);
		LockEngine b = new LockEngine(sessions, this.cluster.watchdog, EngineSettings.defaults("b"),
				LockEngineObserver.NOOP);
		LockRequest request = LockRequest.of("session-extended").leaseTime(SHORT).autoRenew(false);
		LockHandle handle = a.acquire(request);

		assertThat(handle.extend(SHORT.multipliedBy(3))).isTrue();

		await().during(SHORT.multipliedBy(2)).atMost(SHORT.multipliedBy(5))
			.until(() -> b.tryAcquire(request).isEmpty());
		LockHandle next = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
			.until(() -> b.tryAcquire(request).orElse(null), (h) -> h != null);
		assertThat(handle.isValid()).isFalse();
		next.close();
		handle.close();
	}

}
