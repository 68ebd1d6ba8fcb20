package dev.distlock.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.actuate.HeldLocksMeterBinder;
import dev.distlock.actuate.LockAcquireObservationConvention;
import dev.distlock.actuate.MeterLockEngineObserver;
import dev.distlock.actuate.ObservationLockEngineObserver;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.engine.LockEngines;

/**
 * Micrometer for lock engines, when Micrometer is on the classpath: acquisitions through the
 * Observation API ({@link ObservationRegistry#NOOP} without a registry bean), and, with
 * micrometer-core, hold times, renewals, lost leases and the held-locks gauge in the
 * {@link MeterRegistry}.
 */
@AutoConfiguration(after = DistlockAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
@ConditionalOnBean(LockEngines.class)
public final class DistlockObservationAutoConfiguration {

	// The registries are looked up when the engines are built, so no ordering against Boot's
	// observation and metrics auto-configuration is needed.
	@Bean
	@ConditionalOnMissingBean(name = "distlockObservationContributor")
	LockEngineObserverContributor distlockObservationContributor(ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<LockAcquireObservationConvention> convention) {
		return () -> new ObservationLockEngineObserver(registry.getIfUnique(() -> ObservationRegistry.NOOP),
				convention.getIfUnique());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	static class DistlockMeterConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "distlockMeterContributor")
		LockEngineObserverContributor distlockMeterContributor(ObjectProvider<MeterRegistry> registry) {
			return () -> {
				MeterRegistry meterRegistry = registry.getIfUnique();
				return (meterRegistry != null) ? new MeterLockEngineObserver(meterRegistry) : LockEngineObserver.NOOP;
			};
		}

		@Bean
		@ConditionalOnMissingBean
		HeldLocksMeterBinder distlockHeldLocksMeterBinder(LockEngines engines) {
			return new HeldLocksMeterBinder(engines);
		}

	}

}
