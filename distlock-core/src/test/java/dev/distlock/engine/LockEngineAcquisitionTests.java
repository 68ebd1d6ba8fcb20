package dev.distlock.engine;

import java.time.Duration;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.distlock.LockBackendException;
import dev.distlock.LockHandle;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.LockRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code acquire} and {@code tryAcquire}: both wait up to the wait time (0 = one attempt); busy is
 * an exception from {@code acquire} and empty from {@code tryAcquire}; a failing backend is a
 * {@link LockBackendException} from both, never an empty result.
 */
class LockEngineAcquisitionTests {

	@AutoClose
	final TestCluster cluster = new TestCluster();

	@AutoClose("shutdownNow")
	final ExecutorService executor = Executors.newCachedThreadPool();

	final LockEngine instanceA = this.cluster.instance("instance-a");

	final LockEngine instanceB = this.cluster.instance("instance-b");

	final LockRequest request = LockRequest.of("acquisition");

	@Test
	void tryAcquireWithoutWaitTimeMakesOneAttemptAndReturnsEmptyWhenBusy() {
		try (LockHandle held = this.instanceA.acquire(this.request)) {
			int callsBefore = this.cluster.provider.tryAcquireCalls();
			assertThat(this.instanceB.tryAcquire(this.request)).isEmpty();
			assertThat(this.cluster.provider.tryAcquireCalls()).isEqualTo(callsBefore + 1);
		}
	}

	@Test
	void acquireWithoutWaitTimeThrowsLockNotAcquiredExceptionNamingTheLockWhenBusy() {
		try (LockHandle held = this.instanceA.acquire(this.request)) {
			assertThatExceptionOfType(LockNotAcquiredException.class)
				.isThrownBy(() -> this.instanceB.acquire(this.request))
				.satisfies((ex) -> assertThat(ex.getLockId()).isEqualTo("acquisition"))
				.withMessageContaining("acquisition");
		}
	}

	@Test
	void acquireAndTryAcquireSucceedAtOnceWhenTheLockIsFree() {
		try (LockHandle handle = this.instanceA.acquire(this.request)) {
			assertThat(handle.lockId()).isEqualTo("acquisition");
			assertThat(handle.fencingToken()).isPositive();
			assertThat(handle.isValid()).isTrue();
		}
		Optional<LockHandle> handle = this.instanceB.tryAcquire(this.request);
		assertThat(handle).isPresent();
		handle.get().close();
	}

	@Test
	void acquireWaitsUpToTheWaitTimeAndGetsTheLockWhenTheHolderReleases() throws Exception {
		LockHandle held = this.instanceA.acquire(this.request);
		CompletableFuture<LockHandle> waiter = CompletableFuture.supplyAsync(
				() -> this.instanceB.acquire(this.request.waitTime(Duration.ofSeconds(20))), this.executor);
		awaitAttempts(3);
		assertThat(waiter).isNotDone();
		held.close();
		LockHandle acquired = waiter.get(10, TimeUnit.SECONDS);
		assertThat(acquired.fencingToken()).isGreaterThan(held.fencingToken());
		acquired.close();
	}

	@Test
	void tryAcquireWaitsUpToTheWaitTimeAndGetsTheLockWhenTheHolderReleases() throws Exception {
		LockHandle held = this.instanceA.acquire(this.request);
		CompletableFuture<Optional<LockHandle>> waiter = CompletableFuture.supplyAsync(
				() -> this.instanceB.tryAcquire(this.request.waitTime(Duration.ofSeconds(20))), this.executor);
		awaitAttempts(3);
		held.close();
		Optional<LockHandle> acquired = waiter.get(10, TimeUnit.SECONDS);
		assertThat(acquired).isPresent();
		acquired.get().close();
	}

	@Test
	void tryAcquireReturnsEmptyOnlyAfterTheWaitTimeHasPassed() {
		try (LockHandle held = this.instanceA.acquire(this.request)) {
			long start = System.nanoTime();
			Optional<LockHandle> acquired = this.instanceB.tryAcquire(this.request.waitTime(Duration.ofMillis(300)));
			long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			assertThat(acquired).isEmpty();
			assertThat(waitedMillis).isGreaterThanOrEqualTo(300);
			assertThat(this.cluster.provider.tryAcquireCalls()).isGreaterThan(2);
		}
	}

	@Test
	void acquireThrowsLockNotAcquiredExceptionOnlyAfterTheWaitTimeHasPassed() {
		try (LockHandle held = this.instanceA.acquire(this.request)) {
			long start = System.nanoTime();
			assertThatExceptionOfType(LockNotAcquiredException.class)
				.isThrownBy(() -> this.instanceB.acquire(this.request.waitTime(Duration.ofMillis(300))));
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
		}
	}

	@Test
	void requestsWithoutWaitTimeUseTheEngineDefaultWaitTime() throws Exception {
		LockEngine patient = new LockEngine(this.cluster.provider, this.cluster.watchdog, new EngineSettings(
				"patient", Duration.ofSeconds(30), Duration.ofSeconds(20), false, Clock.systemUTC()),
				LockEngineObserver.NOOP);
		LockHandle held = this.instanceA.acquire(this.request);
		CompletableFuture<LockHandle> waiter = CompletableFuture.supplyAsync(() -> patient.acquire(this.request),
				this.executor);
		awaitAttempts(3);
		held.close();
		waiter.get(10, TimeUnit.SECONDS).close();
	}

	static Stream<Arguments> backendFailures() {
		Supplier<RuntimeException> backendException = () -> new LockBackendException("connection refused");
		Supplier<RuntimeException> driverException = () -> new IllegalStateException("socket closed");
		return Stream.of(Arguments.of("LockBackendException", backendException),
				Arguments.of("a client library's own exception", driverException));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("backendFailures")
	void aFailingBackendIsALockBackendExceptionFromBothAcquireAndTryAcquire(String kind,
			Supplier<RuntimeException> failure) {
		this.cluster.provider.failWith(failure);
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(() -> this.instanceA.acquire(this.request));
		assertThatExceptionOfType(LockBackendException.class)
			.isThrownBy(() -> this.instanceA.tryAcquire(this.request));
		assertThatExceptionOfType(LockBackendException.class)
			.isThrownBy(() -> this.instanceA.tryAcquire(this.request.waitTime(Duration.ofSeconds(1))));
		assertThat(this.cluster.observer.outcomes).containsOnly("error");
	}

	@Test
	void aBackendFailureWhileWaitingEndsTheWaitWithLockBackendException() throws Exception {
		try (LockHandle held = this.instanceA.acquire(this.request)) {
			CompletableFuture<Optional<LockHandle>> waiter = CompletableFuture.supplyAsync(
					() -> this.instanceB.tryAcquire(this.request.waitTime(Duration.ofSeconds(20))), this.executor);
			awaitAttempts(3);
			this.cluster.provider.failWith(() -> new IllegalStateException("backend went away"));
			await().atMost(Duration.ofSeconds(10)).until(waiter::isDone);
			assertThat(waiter).isCompletedExceptionally();
			assertThatExceptionOfType(Exception.class).isThrownBy(waiter::join)
				.havingCause()
				.isInstanceOf(LockBackendException.class);
			this.cluster.provider.heal();
		}
	}

	@Test
	void aFailedAcquisitionLetsTheNextThreadOfTheInstanceThrough() throws Exception {
		this.cluster.provider.failWith(() -> new IllegalStateException("backend went away"));
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(() -> this.instanceA.acquire(this.request));
		this.cluster.provider.heal();
		LockHandle handle = CompletableFuture.supplyAsync(() -> this.instanceA.acquire(this.request), this.executor)
			.get(10, TimeUnit.SECONDS);
		assertThat(handle.isValid()).isTrue();
		handle.close();
	}

	@Test
	void aWaiterInterruptedWhileWaitingGivesUpWithLockNotAcquiredExceptionAndKeepsItsInterruptFlag()
			throws Exception {
		try (LockHandle held = this.instanceA.acquire(this.request)) {
			Thread[] waitingThread = new Thread[1];
			CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> {
				waitingThread[0] = Thread.currentThread();
				try {
					this.instanceB.acquire(this.request.waitTime(Duration.ofSeconds(20)));
					return "acquired";
				}
				catch (LockNotAcquiredException ex) {
					return "not acquired, interrupted=" + Thread.currentThread().isInterrupted();
				}
			}, this.executor);
			awaitAttempts(3);
			waitingThread[0].interrupt();
			assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("not acquired, interrupted=true");
		}
	}

	@Test
	void executeRunsTheCallbackUnderTheLockAndReleasesIt() {
		long token = this.instanceA.execute(this.request, (handle) -> {
			assertThat(this.instanceB.tryAcquire(this.request)).isEmpty();
			return handle.fencingToken();
		});
		assertThat(token).isPositive();
		assertThat(this.instanceA.heldLocks()).isEmpty();
		assertThat(this.instanceB.tryRun(this.request, () -> {
		})).isTrue();
	}

	@Test
	void executeReleasesTheLockWhenTheCallbackThrows() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.instanceA.execute(this.request,
				(handle) -> {
					throw new IllegalStateException("callback failed");
				}));
		assertThat(this.instanceB.tryAcquire(this.request)).hasValueSatisfying(LockHandle::close);
	}

	@Test
	void tryRunReturnsFalseAndRunsNothingWhenBusy() {
		try (LockHandle held = this.instanceA.acquire(this.request)) {
			boolean[] ran = new boolean[1];
			assertThat(this.instanceB.tryRun(this.request, () -> ran[0] = true)).isFalse();
			assertThat(ran[0]).isFalse();
		}
	}

	private void awaitAttempts(int attempts) {
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
			.until(() -> this.cluster.provider.tryAcquireCalls() >= attempts);
	}

}
