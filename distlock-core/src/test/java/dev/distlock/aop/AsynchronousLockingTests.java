package dev.distlock.aop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import dev.distlock.DistributedLocked;
import dev.distlock.IfLocked;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.LeaseRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Work that ends after the call keeps its lock until it completes: a {@link CompletableFuture} until
 * it completes, a {@link Mono} or {@link Flux} per subscription until it terminates or is cancelled.
 */
class AsynchronousLockingTests {

	private static final String PREFIX = "dev.distlock.aop.AsynchronousLockingTests$Reports.";

	final InMemoryLockProvider provider = new InMemoryLockProvider();

	final ConfigurableApplicationContext instanceA = TestApplication.on(this.provider).start(Reports.class);

	final ConfigurableApplicationContext instanceB = TestApplication.on(this.provider).start(Reports.class);

	final Reports reportsA = this.instanceA.getBean(Reports.class);

	final Reports reportsB = this.instanceB.getBean(Reports.class);

	@AfterEach
	void close() {
		this.instanceA.close();
		this.instanceB.close();
	}

	@Test
	void aFutureKeepsTheLockUntilItCompletes() {
		CompletableFuture<String> pending = new CompletableFuture<>();
		CompletableFuture<String> result = this.reportsA.future(pending);
		assertThat(heldLocks()).containsExactly(PREFIX + "future");
		assertThatExceptionOfType(LockNotAcquiredException.class)
			.isThrownBy(() -> this.reportsB.future(CompletableFuture.completedFuture("other instance")));
		assertThatExceptionOfType(LockNotAcquiredException.class)
			.as("the calling thread does not re-enter work that continues elsewhere")
			.isThrownBy(() -> this.reportsA.future(CompletableFuture.completedFuture("same thread")));
		pending.complete("done");
		assertThat(result).isCompletedWithValue("done");
		assertThat(heldLocks()).isEmpty();
		assertThat(this.reportsB.future(CompletableFuture.completedFuture("next"))).isCompletedWithValue("next");
	}

	@Test
	void aCallerThatSeesTheFutureCompleteFindsTheLockReleased() {
		CompletableFuture<String> pending = new CompletableFuture<>();
		CompletableFuture<String> next = this.reportsA.future(pending)
			.thenCompose((done) -> this.reportsB.future(CompletableFuture.completedFuture("next")));
		pending.complete("done");
		assertThat(next).isCompletedWithValue("next");
	}

	@Test
	void cancellingTheReturnedFutureKeepsTheLockUntilTheWorkEnds() {
		CompletableFuture<String> work = new CompletableFuture<>();
		CompletableFuture<String> result = this.reportsA.futureAsIs(work);
		result.cancel(false);
		assertThat(heldLocks()).as("the work still runs").containsExactly(PREFIX + "futureAsIs");
		work.complete("done");
		assertThat(heldLocks()).isEmpty();
	}

	@Test
	void aFutureThatFailsReleasesTheLock() {
		CompletableFuture<String> pending = new CompletableFuture<>();
		CompletableFuture<String> result = this.reportsA.future(pending);
		pending.completeExceptionally(new IllegalStateException("report failed"));
		assertThat(heldLocks()).isEmpty();
		assertThat(result).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(IllegalStateException.class);
	}

	@Test
	void aMonoTakesTheLockPerSubscriptionAndReleasesItWhenItCompletes() {
		Mono<Long> mono = this.reportsA.mono();
		assertThat(heldLocks()).as("nothing is locked before subscription").isEmpty();
		Long first = mono.block(Duration.ofSeconds(10));
		Long second = mono.block(Duration.ofSeconds(10));
		assertThat(first).isPositive();
		assertThat(second).as("a new grant per subscription").isGreaterThan(first);
		assertThat(this.reportsA.monoAssemblies()).as("the method itself ran once").isEqualTo(1);
		assertThat(heldLocks()).isEmpty();
	}

	@Test
	void aMonoHoldsTheLockWhileItRuns() {
		Sinks.One<String> gate = Sinks.one();
		StepVerifier.create(this.reportsA.waitingMono(gate.asMono()))
			.then(() -> await().atMost(Duration.ofSeconds(5)).until(() -> heldLocks().contains(PREFIX + "waitingMono")))
			.then(() -> StepVerifier.create(this.reportsB.waitingMono(Mono.just("other")))
				.expectError(LockNotAcquiredException.class)
				.verify(Duration.ofSeconds(10)))
			.then(() -> gate.tryEmitValue("done"))
			.expectNext("done")
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(5)).until(() -> heldLocks().isEmpty());
	}

	@Test
	void aSkippingMonoCompletesEmptyWhenTheLockIsBusy() {
		this.provider.tryAcquire(new LeaseRequest(PREFIX + "skippingMono", "elsewhere#1", Duration.ofSeconds(30)));
		StepVerifier.create(this.reportsA.skippingMono()).expectComplete().verify(Duration.ofSeconds(10));
		assertThat(this.reportsA.monoAssemblies()).isEqualTo(1);
	}

	@Test
	void aMethodDeclaredToReturnAPublisherRunsUnderItsLockPerSubscription() {
		Publisher<Boolean> publisher = this.reportsA.publisher();
		assertThat(heldLocks()).isEmpty();
		StepVerifier.create(publisher).expectNext(true).expectComplete().verify(Duration.ofSeconds(10));
		StepVerifier.create(publisher).expectNext(true).expectComplete().verify(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(5)).until(() -> heldLocks().isEmpty());
	}

	@Test
	void aCancelledFluxReleasesTheLock() {
		StepVerifier.create(this.reportsA.endlessFlux())
			.expectNextCount(3)
			.then(() -> assertThat(heldLocks()).containsExactly(PREFIX + "endlessFlux"))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(5)).until(() -> heldLocks().isEmpty());
	}

	private List<String> heldLocks() {
		return this.provider.listLocks().stream().map(BackendLock::lockId).toList();
	}

	public static class Reports {

		private final AtomicInteger monoAssemblies = new AtomicInteger();

		private final InMemoryLockProvider provider;

		public Reports(InMemoryLockProvider provider) {
			this.provider = provider;
		}

		public int monoAssemblies() {
			return this.monoAssemblies.get();
		}

		@DistributedLocked
		public CompletableFuture<String> future(CompletableFuture<String> work) {
			return work.thenApply((value) -> value);
		}

		@DistributedLocked
		public CompletableFuture<String> futureAsIs(CompletableFuture<String> work) {
			return work;
		}

		@DistributedLocked
		public Mono<Long> mono() {
			this.monoAssemblies.incrementAndGet();
			return Mono.fromCallable(() -> this.provider.inspect(PREFIX + "mono").orElseThrow().fencingToken());
		}

		@DistributedLocked
		public Mono<String> waitingMono(Mono<String> work) {
			return work;
		}

		@DistributedLocked(ifLocked = IfLocked.SKIP)
		public Mono<String> skippingMono() {
			this.monoAssemblies.incrementAndGet();
			return Mono.just("ran");
		}

		@DistributedLocked
		public Publisher<Boolean> publisher() {
			return Flux.defer(() -> Flux.just(this.provider.inspect(PREFIX + "publisher").isPresent()));
		}

		@DistributedLocked
		public Flux<Long> endlessFlux() {
			return Flux.interval(Duration.ofMillis(10));
		}

	}

}
