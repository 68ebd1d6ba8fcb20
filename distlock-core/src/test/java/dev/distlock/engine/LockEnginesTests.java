package dev.distlock.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import dev.distlock.LockConfigurationException;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.memory.InMemoryLockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The engines of an application by provider bean name, and the settings an engine is built with.
 */
class LockEnginesTests {

	@AutoClose
	final LeaseWatchdog watchdog = new LeaseWatchdog();

	final LockEngine primary = engine();

	final LockEngine secondary = engine();

	final LockEngines engines = new LockEngines(this.primary, Map.of("redisLockProvider", this.primary,
			"jdbcLockProvider", this.secondary));

	@Test
	void requestsThatNameNoProviderGoToThePrimaryEngine() {
		assertThat(this.engines.forProvider(null)).isSameAs(this.primary);
		assertThat(this.engines.forProvider("")).isSameAs(this.primary);
		assertThat(this.engines.primary()).isSameAs(this.primary);
	}

	@Test
	void aNamedProviderSelectsItsEngine() {
		assertThat(this.engines.forProvider("jdbcLockProvider")).isSameAs(this.secondary);
		assertThat(this.engines.hasProvider("jdbcLockProvider")).isTrue();
		assertThat(this.engines.hasProvider("nowhere")).isFalse();
		assertThat(this.engines.providerNames()).containsExactlyInAnyOrder("redisLockProvider", "jdbcLockProvider");
		assertThat(this.engines.all()).containsExactlyInAnyOrder(this.primary, this.secondary);
	}

	@Test
	void anUnknownProviderNameIsAConfigurationErrorNamingTheKnownOnes() {
		assertThatExceptionOfType(LockConfigurationException.class)
			.isThrownBy(() -> this.engines.forProvider("nowhere"))
			.withMessageContaining("nowhere")
			.withMessageContaining("jdbcLockProvider");
	}

	@Test
	void engineSettingsRejectANonPositiveLeaseTimeAndANegativeWaitTime() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> new EngineSettings("i", Duration.ZERO, Duration.ZERO, false, Clock.systemUTC()));
		assertThatIllegalArgumentException().isThrownBy(
				() -> new EngineSettings("i", Duration.ofSeconds(-1), Duration.ZERO, false, Clock.systemUTC()));
		assertThatIllegalArgumentException().isThrownBy(
				() -> new EngineSettings("i", Duration.ofSeconds(30), Duration.ofSeconds(-1), false, Clock.systemUTC()));
	}

	@Test
	void defaultEngineSettingsAreAThirtySecondLeaseAndASingleAttempt() {
		EngineSettings defaults = EngineSettings.defaults("host:1:abc");
		assertThat(defaults.instanceId()).isEqualTo("host:1:abc");
		assertThat(defaults.defaultLeaseTime()).isEqualTo(Duration.ofSeconds(30));
		assertThat(defaults.defaultWaitTime()).isZero();
		assertThat(defaults.interruptOnLeaseLost()).isFalse();
	}

	@Test
	void ownerTokensAreTheInstanceIdHashANonceAndACounter() {
		InMemoryLockProvider provider = new InMemoryLockProvider();
		LockEngine engine = new LockEngine(provider, this.watchdog, EngineSettings.defaults("host:1:abc"),
				LockEngineObserver.NOOP);
		try (LockHandle handle = engine.acquire(LockRequest.of("owned"))) {
			assertThat(provider.inspect("owned")).hasValueSatisfying((lock) -> {
				assertThat(lock.owner()).matches("host:1:abc#[0-9a-f]{8}\\.\\d+");
				assertThat(lock.instance()).isEqualTo("host:1:abc");
			});
		}
	}

	@Test
	void twoEnginesWithTheSameInstanceIdStillHaveDistinctOwners() {
		InMemoryLockProvider provider = new InMemoryLockProvider();
		LockEngine first = new LockEngine(provider, this.watchdog, EngineSettings.defaults("orders"),
				LockEngineObserver.NOOP);
		LockEngine second = new LockEngine(provider, this.watchdog, EngineSettings.defaults("orders"),
				LockEngineObserver.NOOP);
		String firstOwner;
		try (LockHandle handle = first.acquire(LockRequest.of("same-id-1"))) {
			firstOwner = provider.inspect("same-id-1").orElseThrow().owner();
		}
		try (LockHandle handle = second.acquire(LockRequest.of("same-id-2"))) {
			assertThat(provider.inspect("same-id-2").orElseThrow().owner()).isNotEqualTo(firstOwner)
				.startsWith("orders#");
		}
	}

	@Test
	void rejectsAMinimumHoldLongerThanTheLease() {
		LockEngine engine = new LockEngine(new InMemoryLockProvider(), this.watchdog, EngineSettings.defaults("i"),
				LockEngineObserver.NOOP);
		org.assertj.core.api.Assertions
			.assertThatIllegalArgumentException()
			.isThrownBy(() -> engine.acquire(LockRequest.of("x").leaseTime(java.time.Duration.ofSeconds(1))
				.minHoldTime(java.time.Duration.ofSeconds(2))))
			.withMessageContaining("minHoldTime");
	}

	private LockEngine engine() {
		return new LockEngine(new InMemoryLockProvider(), this.watchdog, EngineSettings.defaults("instance"),
				LockEngineObserver.NOOP);
	}

}
