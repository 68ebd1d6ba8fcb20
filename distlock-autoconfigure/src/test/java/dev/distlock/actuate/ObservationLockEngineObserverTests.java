package dev.distlock.actuate;

import java.time.Clock;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.distlock.LockBackendException;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.engine.LockOrigin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Lock acquisitions as Micrometer observations, on a real engine and backend.
 */
class ObservationLockEngineObserverTests {

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final ControllableLockProvider backend = new ControllableLockProvider();

	private final LeaseWatchdog watchdog = new LeaseWatchdog(Clock.systemUTC());

	private final LockEngine engine = new LockEngine(this.backend, this.watchdog, EngineSettings.defaults("node-a"),
			new ObservationLockEngineObserver(this.registry, null));

	private final LockEngine otherInstance = new LockEngine(this.backend, this.watchdog,
			EngineSettings.defaults("node-b"), LockEngineObserver.NOOP);

	@AfterEach
	void closeWatchdog() {
		this.watchdog.close();
	}

	@Test
	void observesAGrantWithProviderAndTheStaticLockNameNotTheKey() {
		try (LockHandle held = this.engine.acquire(LockRequest.of("order:42"))) {
			TestObservationRegistryAssert.assertThat(this.registry)
				.hasSingleObservationThat()
				.hasNameEqualTo("distlock.acquire")
				.hasContextualNameEqualTo("acquire order")
				.hasLowCardinalityKeyValue("outcome", "acquired")
				.hasLowCardinalityKeyValue("provider", "in-memory")
				.hasLowCardinalityKeyValue("lock.name", "order")
				.hasHighCardinalityKeyValue("lock.source", "LockTemplate")
				.hasBeenStarted()
				.hasBeenStopped();
		}
	}

	@Test
	void observesABusyLock() {
		try (LockHandle elsewhere = this.otherInstance.acquire(LockRequest.of("order:43"))) {
			assertThat(this.engine.tryAcquire(LockRequest.of("order:43"))).isEmpty();
		}
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasSingleObservationThat()
			.hasLowCardinalityKeyValue("outcome", "busy")
			.hasLowCardinalityKeyValue("lock.name", "order")
			.doesNotHaveError();
	}

	@Test
	void observesABackendErrorWithTheException() {
		this.backend.down();
		assertThatExceptionOfType(LockBackendException.class)
			.isThrownBy(() -> this.engine.acquire(LockRequest.of("order:44")));
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasSingleObservationThat()
			.hasLowCardinalityKeyValue("outcome", "error")
			.hasError()
			.assertThatError()
			.isInstanceOf(LockBackendException.class);
	}

	@Test
	void usesAUserConventionWhenGivenOne() {
		LockAcquireObservationConvention custom = new DefaultLockAcquireObservationConvention() {
			@Override
			public String getName() {
				return "custom.acquire";
			}
		};
		new ObservationLockEngineObserver(this.registry, custom).acquireStarted("in-memory", LockOrigin.template("x"))
			.acquired();
		TestObservationRegistryAssert.assertThat(this.registry).hasSingleObservationThat().hasNameEqualTo("custom.acquire");
	}

	@Test
	void costsNothingWithTheNoopRegistry() {
		assertThat(new ObservationLockEngineObserver(ObservationRegistry.NOOP, null).acquireStarted("in-memory",
				LockOrigin.template("x")))
			.isSameAs(LockEngineObserver.AcquireObservation.NOOP);
	}

}
