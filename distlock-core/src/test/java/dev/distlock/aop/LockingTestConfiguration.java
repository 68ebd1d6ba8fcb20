package dev.distlock.aop;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.PropertySourcesPlaceholderConfigurer;

import dev.distlock.EnableDistributedLocking;
import dev.distlock.engine.EngineSettings;

/**
 * What every aspect test shares: the production wiring ({@link EnableDistributedLocking}, the same
 * configurations the Spring Boot auto-configuration imports), placeholders, and engine settings
 * with a unique instance id. Optional beans a test may add: a {@link LockDefaults} and a
 * {@link Clock}.
 */
@Configuration(proxyBeanMethods = false)
@EnableDistributedLocking
public class LockingTestConfiguration {

	/** The bean name of the primary provider. */
	public static final String PRIMARY_PROVIDER = "lockProvider";

	@Bean
	static PropertySourcesPlaceholderConfigurer propertySourcesPlaceholderConfigurer() {
		return new PropertySourcesPlaceholderConfigurer();
	}

	@Bean
	EngineSettings engineSettings(ObjectProvider<Clock> clock) {
		return new EngineSettings("test-" + UUID.randomUUID(), Duration.ofSeconds(30), Duration.ZERO, false,
				clock.getIfAvailable(Clock::systemUTC));
	}

}
