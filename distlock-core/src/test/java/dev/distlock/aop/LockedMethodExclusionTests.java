package dev.distlock.aop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.distlock.DistributedLocked;
import dev.distlock.IfLocked;
import dev.distlock.LockBackendException;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.engine.FaultInjectingLockProvider;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A {@code @DistributedLocked} method runs one call at a time across all instances; a call that
 * finds the lock busy skips (returning the type's empty value) or throws, and never runs the body.
 */
class LockedMethodExclusionTests {

	private static final String PREFIX = "dev.distlock.aop.LockedMethodExclusionTests$Jobs.";

	final FaultInjectingLockProvider provider = new FaultInjectingLockProvider();

	final Counter counter = new Counter();

	final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	final ExecutorService executor = Executors.newFixedThreadPool(50);

	@AfterEach
	void close() {
		this.executor.shutdownNow();
		this.instances.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void fiftyConcurrentCallsOnTwoInstancesLoseNoUpdateOfANonAtomicCounter() throws Exception {
		Jobs first = startInstance();
		Jobs second = startInstance();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> calls = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			Jobs jobs = (i % 2 == 0) ? first : second;
			calls.add(this.executor.submit(() -> {
				start.await();
				jobs.increment();
				return null;
			}));
		}
		start.countDown();
		for (Future<?> call : calls) {
			call.get(60, TimeUnit.SECONDS);
		}
		assertThat(this.counter.value).isEqualTo(50);
		assertThat(this.counter.maxConcurrent.get()).isEqualTo(1);
	}

	@Test
	void skippedCallsReturnTheEmptyValueOfTheirTypeAndDoNotRun() {
		Jobs jobs = startInstance();
		holdElsewhere("skipObject", "skipOptional", "skipInt", "skipBoolean", "skipLong", "skipVoid", "skipFuture");
		assertThat(jobs.skipObject()).isNull();
		assertThat(jobs.skipOptional()).isEmpty();
		assertThat(jobs.skipInt()).isZero();
		assertThat(jobs.skipBoolean()).isFalse();
		assertThat(jobs.skipLong()).isZero();
		jobs.skipVoid();
		assertThat(jobs.skipFuture()).isCompletedWithValue(null);
		assertThat(jobs.runs()).isZero();
	}

	@Test
	void aThrowingCallFailsWithLockNotAcquiredExceptionNamingTheLockAndDoesNotRun() {
		Jobs jobs = startInstance();
		holdElsewhere("throwing");
		assertThatExceptionOfType(LockNotAcquiredException.class).isThrownBy(jobs::throwing)
			.withMessageContaining(PREFIX + "throwing")
			.satisfies((ex) -> assertThat(ex.getLockId()).isEqualTo(PREFIX + "throwing"));
		assertThat(jobs.runs()).isZero();
	}

	@Test
	void anOrdinaryMethodThrowsByDefaultWhenBusy() {
		Jobs jobs = startInstance();
		holdElsewhere("byDefault");
		assertThatExceptionOfType(LockNotAcquiredException.class).isThrownBy(jobs::byDefault);
		assertThat(jobs.runs()).isZero();
	}

	@Test
	void aCallWaitsUpToItsWaitTimeForTheLock() throws Exception {
		Jobs jobs = startInstance();
		Lease held = holdElsewhere("patient").get(0);
		CompletableFuture<String> call = CompletableFuture.supplyAsync(jobs::patient, this.executor);
		CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(() -> this.provider.release(held));
		assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("ran");
	}

	@Test
	void whenTheBackendFailsTheMethodDoesNotRunAndTheCallerGetsLockBackendException() {
		Jobs jobs = startInstance();
		this.provider.failWith(() -> new IllegalStateException("connection refused"));
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(jobs::throwing);
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(jobs::skipObject);
		assertThat(jobs.runs()).isZero();
	}

	@Test
	void anExceptionFromTheMethodReleasesTheLock() {
		Jobs jobs = startInstance();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(jobs::failing);
		assertThat(this.provider.backend().listLocks()).isEmpty();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(jobs::failing);
	}

	@Test
	void aNamedProviderLocksInThatProvider() {
		FaultInjectingLockProvider secondary = new FaultInjectingLockProvider();
		ConfigurableApplicationContext context = TestApplication.on(this.provider)
			.bean("secondaryProvider", LockProvider.class, secondary)
			.bean("counter", Counter.class, this.counter)
			.start(SecondaryJobs.class);
		this.instances.add(context);
		SecondaryJobs jobs = context.getBean(SecondaryJobs.class);
		assertThat(jobs.onSecondary(() -> secondary.backend().listLocks().size()
				+ this.provider.backend().listLocks().size() * 100)).isEqualTo(1);
	}

	private Jobs startInstance() {
		ConfigurableApplicationContext context = TestApplication.on(this.provider)
			.bean("counter", Counter.class, this.counter)
			.start(Jobs.class);
		this.instances.add(context);
		return context.getBean(Jobs.class);
	}

	/** Takes the methods' locks as another instance would. */
	private List<Lease> holdElsewhere(String... methods) {
		List<Lease> leases = new ArrayList<>();
		for (String method : methods) {
			leases.add(this.provider.backend()
				.tryAcquire(new LeaseRequest(PREFIX + method, "elsewhere#1", Duration.ofSeconds(30)))
				.orElseThrow());
		}
		return leases;
	}

	/** A counter shared by the instances, deliberately not thread-safe. */
	static class Counter {

		int value;

		final AtomicInteger concurrent = new AtomicInteger();

		final AtomicInteger maxConcurrent = new AtomicInteger();

	}

	public static class Jobs {

		private final Counter counter;

		private final AtomicInteger runs = new AtomicInteger();

		public Jobs(Counter counter) {
			this.counter = counter;
		}

		public int runs() {
			return this.runs.get();
		}

		@DistributedLocked(waitTime = "30s")
		public void increment() {
			this.counter.maxConcurrent.accumulateAndGet(this.counter.concurrent.incrementAndGet(), Math::max);
			int value = this.counter.value;
			Thread.yield();
			this.counter.value = value + 1;
			this.counter.concurrent.decrementAndGet();
		}

		@DistributedLocked(ifLocked = IfLocked.SKIP)
		public Object skipObject() {
			this.runs.incrementAndGet();
			return "ran";
		}

		@DistributedLocked(ifLocked = IfLocked.SKIP)
		public Optional<String> skipOptional() {
			this.runs.incrementAndGet();
			return Optional.of("ran");
		}

		@DistributedLocked(ifLocked = IfLocked.SKIP)
		public int skipInt() {
			return this.runs.incrementAndGet();
		}

		@DistributedLocked(ifLocked = IfLocked.SKIP)
		public boolean skipBoolean() {
			this.runs.incrementAndGet();
			return true;
		}

		@DistributedLocked(ifLocked = IfLocked.SKIP)
		public long skipLong() {
			return this.runs.incrementAndGet();
		}

		@DistributedLocked(ifLocked = IfLocked.SKIP)
		public void skipVoid() {
			this.runs.incrementAndGet();
		}

		@DistributedLocked(ifLocked = IfLocked.SKIP)
		public CompletableFuture<String> skipFuture() {
			this.runs.incrementAndGet();
			return CompletableFuture.completedFuture("ran");
		}

		@DistributedLocked(ifLocked = IfLocked.THROW)
		public void throwing() {
			this.runs.incrementAndGet();
		}

		@DistributedLocked
		public void byDefault() {
			this.runs.incrementAndGet();
		}

		@DistributedLocked(waitTime = "10s")
		public String patient() {
			return "ran";
		}

		@DistributedLocked
		public void failing() {
			throw new IllegalStateException("the method failed");
		}

	}

	public static class SecondaryJobs {

		@DistributedLocked(provider = "secondaryProvider")
		public int onSecondary(IntSupplier locksHeld) {
			return locksHeld.getAsInt();
		}

	}

}
