package dev.distlock.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.Lease;
import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A renewal whose round trip overlaps the release must not stretch the lease back to its full
 * time: the lock still ends with its minimum hold.
 */
class RenewalDuringReleaseTests {

	@Test
	void aRenewalInFlightWhenTheHandleIsReleasedDoesNotKeepTheLockForTheWholeLease() throws Exception {
		InMemoryLockProvider backend = new InMemoryLockProvider();
		CountDownLatch renewalStarted = new CountDownLatch(1);
		CountDownLatch releaseDone = new CountDownLatch(1);
		LockProvider slowRenewals = new SlowRenewals(backend, renewalStarted, releaseDone);
		try (LeaseWatchdog watchdog = new LeaseWatchdog()) {
			LockEngine holder = new LockEngine(slowRenewals, watchdog, EngineSettings.defaults("holder"),
					LockEngineObserver.NOOP);
			LockEngine other = new LockEngine(backend, watchdog, EngineSettings.defaults("other"),
					LockEngineObserver.NOOP);
			LockRequest request = LockRequest.of("race").leaseTime(Duration.ofSeconds(3))
				.minHoldTime(Duration.ofMillis(1500));
			LockHandle handle = holder.acquire(request);
			assertThat(renewalStarted.await(10, TimeUnit.SECONDS)).as("renewal started").isTrue();
			handle.close(); // shortens the lease to the rest of the minimum hold...
			releaseDone.countDown(); // ...then the renewal that was already under way lands
			long released = System.nanoTime();
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
				.until(() -> other.tryAcquire(request).isPresent());
			assertThat(Duration.ofNanos(System.nanoTime() - released))
				.as("freed by the minimum hold, not by the 3s lease the late renewal asked for")
				.isLessThan(Duration.ofMillis(2500));
		}
	}

	/** Forwards to the in-memory backend; its first batch renewal waits until the test released. */
	private static final class SlowRenewals extends ForwardingLockProvider {

		private final CountDownLatch renewalStarted;

		private final CountDownLatch releaseDone;

		SlowRenewals(InMemoryLockProvider backend, CountDownLatch renewalStarted, CountDownLatch releaseDone) {
			super(backend);
			this.renewalStarted = renewalStarted;
			this.releaseDone = releaseDone;
		}

		@Override
		public Set<ProviderCapability> capabilities() {
			return Set.of();
		}

		@Override
		public Set<Lease> extendAll(Collection<Lease> leases) {
			this.renewalStarted.countDown();
			try {
				this.releaseDone.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return super.extendAll(leases);
		}

	}

}
