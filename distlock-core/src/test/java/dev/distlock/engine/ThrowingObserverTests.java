package dev.distlock.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An observer that throws (a failing metrics registry, an event listener that throws) must not stop
 * the engine: locks are still handed out and released, and the watchdog keeps renewing.
 */
class ThrowingObserverTests {

	@AutoClose
	final TestCluster cluster = new TestCluster();

	final LockEngine other = this.cluster.instance("other");

	@Test
	void aThrowingLeaseLostObserverDoesNotStopRenewalsOfOtherLeases() {
		LockEngine engine = engineWith(new LockEngineObserver() {
			@Override
			public void leaseLost(String providerId, LockOrigin origin, String lockId, long fencingToken,
					String reason) {
				throw new IllegalStateException("listener failed");
			}
		});
		LockHandle lost = engine.acquire(LockRequest.of("lost").leaseTime(Duration.ofSeconds(1)));
		LockHandle kept = engine.acquire(LockRequest.of("kept").leaseTime(Duration.ofSeconds(1)));
		this.cluster.provider.forceRelease("lost");
		await().atMost(Duration.ofSeconds(5)).until(() -> engine.leasesLost() == 1);
		await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
			.until(() -> kept.isValid() && this.other.tryAcquire(LockRequest.of("kept")).isEmpty());
		assertThat(lost.isValid()).isFalse();
		lost.close();
		kept.close();
	}

	@Test
	void aThrowingRenewedObserverDoesNotStopRenewals() {
		LockEngine engine = engineWith(new LockEngineObserver() {
			@Override
			public void renewed(String providerId, LockOrigin origin) {
				throw new IllegalStateException("metrics failed");
			}
		});
		try (LockHandle handle = engine.acquire(LockRequest.of("renewed").leaseTime(Duration.ofSeconds(1)))) {
			await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
				.until(() -> handle.isValid() && this.other.tryAcquire(LockRequest.of("renewed")).isEmpty());
		}
	}

	@Test
	void aThrowingAcquisitionObserverDoesNotLeakAHeldLock() {
		LockEngine engine = engineWith(new LockEngineObserver() {
			@Override
			public AcquireObservation acquireStarted(String providerId, LockOrigin origin) {
				return new AcquireObservation() {
					@Override
					public void acquired() {
						throw new IllegalStateException("metrics failed");
					}
				};
			}

			@Override
			public void released(String providerId, LockOrigin origin, Duration heldFor) {
				throw new IllegalStateException("metrics failed");
			}
		});
		Optional<LockHandle> handle = Optional.empty();
		try {
			handle = engine.tryAcquire(LockRequest.of("observed"));
		}
		catch (RuntimeException ex) {
			// Either outcome is acceptable, as long as the lock is not left held.
		}
		handle.ifPresent((held) -> {
			assertThat(held.isValid()).isTrue();
			held.close();
		});
		assertThat(engine.heldLocks()).isEmpty();
		assertThat(this.other.tryAcquire(LockRequest.of("observed"))).hasValueSatisfying(LockHandle::close);
	}

	private LockEngine engineWith(LockEngineObserver observer) {
		return new LockEngine(this.cluster.provider, this.cluster.watchdog,
				new EngineSettings("observed", Duration.ofSeconds(30), Duration.ZERO, false, Clock.systemUTC()),
				observer);
	}

}
