package dev.distlock.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import dev.distlock.LeaseLostException;
import dev.distlock.LockBackendException;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * A lease the watchdog finds gone is lost: the handle turns invalid for good, the observer hears it
 * once, it is counted, and closing the handle releases nobody else's lock and does not throw. A
 * lease that ran out unconfirmed keeps the instance's other threads out until its holder leaves.
 */
class LeaseLostTests {

	@AutoClose
	final TestCluster cluster = new TestCluster();

	@AutoClose("shutdownNow")
	final ExecutorService executor = Executors.newCachedThreadPool();

	final LockEngine instanceA = this.cluster.instance("instance-a");

	final LockEngine instanceB = this.cluster.instance("instance-b");

	final LockRequest request = LockRequest.of("fragile").leaseTime(Duration.ofMillis(300));

	@Test
	void aForceReleasedLeaseIsLostReportedOnceAndCounted() {
		LockHandle handle = this.instanceA.acquire(this.request);
		assertThat(this.cluster.provider.forceRelease("fragile")).isTrue();
		LockHandle next = this.instanceB.acquire(this.request);
		awaitLost(1);
		assertThat(handle.isValid()).isFalse();
		assertThatExceptionOfType(LeaseLostException.class).isThrownBy(handle::checkValid)
			.withMessageContaining("fragile");
		assertThat(this.cluster.observer.lostLocks).containsExactly("fragile");
		assertThat(this.cluster.observer.lostReasons).singleElement().asString().contains("renewal");
		assertThat(this.instanceA.leasesLost()).isEqualTo(1);
		await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2))
			.until(() -> this.cluster.observer.lostReasons.size() == 1);
		assertThatNoException().isThrownBy(handle::close);
		assertThat(next.isValid()).as("closing the lost handle did not release the new holder").isTrue();
		assertThat(this.instanceA.tryAcquire(this.request)).isEmpty();
		next.close();
	}

	@Test
	void aRefusedRenewalLosesTheLease() {
		LockHandle handle = this.instanceA.acquire(this.request);
		this.cluster.provider.refuseRenewals();
		awaitLost(1);
		assertThat(handle.isValid()).isFalse();
		assertThat(this.cluster.observer.lostReasons).singleElement().asString().contains("refused");
		assertThatNoException().isThrownBy(handle::close);
	}

	@Test
	void renewalsThatFailUntilTheLeaseRunsOutLoseTheLeaseOnce() {
		LockHandle handle = this.instanceA.acquire(this.request);
		this.cluster.provider.failWith(() -> new LockBackendException("backend unreachable"));
		awaitLost(1);
		assertThat(handle.isValid()).isFalse();
		assertThat(this.instanceA.leasesLost()).isEqualTo(1);
		assertThatNoException().isThrownBy(handle::close);
	}

	@Test
	void aLostLeaseIsReportedEvenWhenTheHolderNoticedTheExpiryFirst() {
		LockHandle handle = this.instanceA.acquire(this.request);
		this.cluster.provider.failWith(() -> new LockBackendException("backend unreachable"));
		// The holder polls its handle, so it sees the local expiry before the watchdog does.
		await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(1)).until(() -> !handle.isValid());
		awaitLost(1);
		assertThat(this.instanceA.leasesLost()).isEqualTo(1);
		handle.close();
	}

	@Test
	void aLostLeaseIsNotRenewedAgain() {
		LockHandle handle = this.instanceA.acquire(this.request);
		this.cluster.provider.refuseRenewals();
		awaitLost(1);
		this.cluster.provider.heal();
		int passes = this.cluster.provider.extendAllBatchSizes().size();
		await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2))
			.until(() -> this.cluster.provider.extendAllBatchSizes().size() == passes);
		assertThat(handle.isValid()).isFalse();
		handle.close();
	}

	@Test
	void acquiringALostLeaseAgainOnItsThreadIsANewGrantNotAReentry() {
		LockHandle handle = this.instanceA.acquire(this.request);
		this.cluster.provider.refuseRenewals();
		awaitLost(1);
		this.cluster.provider.heal();
		try (LockHandle again = this.instanceA.acquire(this.request)) {
			assertThat(again.fencingToken()).isGreaterThan(handle.fencingToken());
			assertThat(again.isValid()).isTrue();
			handle.close();
			assertThat(again.isValid()).as("the lost handle's close released nothing").isTrue();
		}
	}

	@Test
	void aHolderWhoseLeaseRanOutUnconfirmedKeepsTheOtherThreadsOfItsInstanceOutUntilItLeaves() throws Exception {
		LockRequest longer = this.request.leaseTime(Duration.ofMillis(1500));
		LockHandle handle = this.instanceA.acquire(longer);
		this.cluster.provider.failWith(() -> new LockBackendException("backend unreachable"));
		awaitLost(1);
		this.cluster.provider.heal();
		CompletableFuture<LockHandle> sibling = CompletableFuture
			.supplyAsync(() -> this.instanceA.acquire(longer.waitTime(Duration.ofSeconds(10))), this.executor);
		// The holder may still be inside its critical section: letting a sibling in beside it is the
		// very overlap a lost lease warns of.
		await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(1)).until(() -> !sibling.isDone());
		handle.close();
		try (LockHandle next = sibling.get(10, TimeUnit.SECONDS)) {
			assertThat(next.fencingToken()).isGreaterThan(handle.fencingToken());
			assertThat(next.isValid()).isTrue();
		}
	}

	@Test
	void aLeaseThatRanOutUnconfirmedAndIsNeverClosedFreesTheLockOneLeaseTimeLater() throws Exception {
		LockHandle leaked = this.instanceA.acquire(this.request);
		this.cluster.provider.failWith(() -> new LockBackendException("backend unreachable"));
		awaitLost(1);
		this.cluster.provider.heal();
		try (LockHandle next = CompletableFuture
			.supplyAsync(() -> this.instanceA.acquire(this.request.waitTime(Duration.ofSeconds(10))), this.executor)
			.get(10, TimeUnit.SECONDS)) {
			assertThat(next.fencingToken()).isGreaterThan(leaked.fencingToken());
		}
	}

	@Test
	void withInterruptOnLeaseLostTheHoldingThreadIsInterrupted() throws Exception {
		LockEngine interrupting = this.cluster.instance("interrupting", true);
		CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> {
			try (LockHandle handle = interrupting.acquire(this.request)) {
				Thread.sleep(20_000);
				return "slept through";
			}
			catch (InterruptedException ex) {
				return "interrupted";
			}
		}, this.executor);
		await().atMost(Duration.ofSeconds(5)).until(() -> interrupting.heldLock("fragile").isPresent());
		this.cluster.provider.forceRelease("fragile");
		assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted");
		assertThat(interrupting.leasesLost()).isEqualTo(1);
	}

	@Test
	void withoutInterruptOnLeaseLostTheHoldingThreadRunsOn() throws Exception {
		CompletableFuture<Boolean> holder = CompletableFuture.supplyAsync(() -> {
			try (LockHandle handle = this.instanceA.acquire(this.request)) {
				await().atMost(Duration.ofSeconds(5)).until(() -> !handle.isValid());
				Thread.sleep(100);
				return Thread.currentThread().isInterrupted();
			}
			catch (InterruptedException ex) {
				return true;
			}
		}, this.executor);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.instanceA.heldLock("fragile").isPresent());
		this.cluster.provider.forceRelease("fragile");
		assertThat(holder.get(10, TimeUnit.SECONDS)).isFalse();
	}

	private void awaitLost(int count) {
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
			.until(() -> this.cluster.observer.lostReasons.size() >= count);
	}

}
