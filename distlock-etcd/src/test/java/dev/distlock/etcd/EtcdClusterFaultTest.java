package dev.distlock.etcd;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.distlock.LockBackendException;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.ReleaseSubscription;
import dev.distlock.test.server.EtcdCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The etcd provider on a real 3-member cluster of the test's own, with members killed (SIGKILL)
 * under it: a minority down changes nothing; without a quorum every call fails closed within the
 * request timeout and a holder's lease is declared lost; with the quorum back, work resumes and
 * fencing tokens keep increasing.
 */
class EtcdClusterFaultTest {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

	/** Generous bound for "no call hangs": the request timeout plus a loaded machine's slack. */
	private static final Duration NO_HANG = Duration.ofSeconds(20);

	private EtcdCluster cluster;

	private EtcdLockProvider holder;

	private EtcdLockProvider waiter;

	private LeaseWatchdog watchdog;

	@BeforeEach
	void startCluster() {
		this.cluster = EtcdCluster.start(3);
		this.holder = provider();
		this.waiter = provider();
		this.watchdog = new LeaseWatchdog();
	}

	@AfterEach
	void stopCluster() {
		if (this.watchdog != null) {
			this.watchdog.close();
		}
		if (this.holder != null) {
			this.holder.close();
		}
		if (this.waiter != null) {
			this.waiter.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	private EtcdLockProvider provider() {
		return EtcdLockProvider.connect(this.cluster.endpoints(), "/distlock-faults/", Duration.ofSeconds(5),
				REQUEST_TIMEOUT);
	}

	@Test
	void losingOneMemberWhileALockIsHeldAndAWaiterWaitsChangesNothing() throws InterruptedException {
		Lease lease = this.holder.tryAcquire(new LeaseRequest("minority", "holder#1", Duration.ofSeconds(30)))
			.orElseThrow();
		CountDownLatch woken = new CountDownLatch(1);
		try (ReleaseSubscription subscription = this.waiter.onRelease("minority", woken::countDown)) {
			this.cluster.kill(0);

			// A client whose connection went to the killed member fails over to another one.
			boolean held = await().atMost(NO_HANG).ignoreException(LockBackendException.class)
				.until(() -> this.holder.extend(lease, Duration.ofSeconds(30)), (answer) -> true);
			assertThat(held).as("the holder's lease, confirmed by the two members left").isTrue();
			assertThat(await().atMost(NO_HANG).ignoreException(LockBackendException.class)
				.until(() -> this.waiter.tryAcquire(new LeaseRequest("minority", "waiter#1", Duration.ofSeconds(30))),
						(answer) -> true))
				.as("still busy for the waiter").isEmpty();

			this.holder.release(lease);

			assertThat(woken.await(30, TimeUnit.SECONDS)).as("the waiter is woken by its watch").isTrue();
			Lease next = this.waiter.tryAcquire(new LeaseRequest("minority", "waiter#2", Duration.ofSeconds(30)))
				.orElseThrow();
			assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
		}
	}

	@Test
	void withoutAQuorumCallsFailClosedAndTheHoldersLeaseIsDeclaredLostThenWorkResumes() {
		LockEngine engine = new LockEngine(this.holder, this.watchdog, EngineSettings.defaults("fault-holder"),
				LockEngineObserver.NOOP);
		LockHandle handle = engine.acquire(LockRequest.of("quorum").leaseTime(Duration.ofSeconds(3)));
		long before = handle.fencingToken();

		this.cluster.kill(1);
		this.cluster.kill(2);

		assertTimeoutPreemptively(NO_HANG, () -> assertThatExceptionOfType(LockBackendException.class)
			.isThrownBy(() -> this.waiter.tryAcquire(new LeaseRequest("quorum", "waiter#1", Duration.ofSeconds(30)))));
		assertTimeoutPreemptively(NO_HANG,
				() -> assertThatExceptionOfType(LockBackendException.class).isThrownBy(this.waiter::checkHealth));
		await().atMost(NO_HANG).untilAsserted(() -> assertThat(handle.isValid())
			.as("a lease that cannot be confirmed is lost once its lease time passed").isFalse());
		handle.close();

		this.cluster.startAgain(1);
		this.cluster.startAgain(2);

		Lease after = await().atMost(Duration.ofSeconds(60)).ignoreException(LockBackendException.class)
			.until(() -> this.waiter.tryAcquire(new LeaseRequest("quorum", "waiter#2", Duration.ofSeconds(30)))
				.orElse(null), (lease) -> lease != null);
		assertThat(after.fencingToken()).as("tokens keep increasing across the outage").isGreaterThan(before);
	}

}
