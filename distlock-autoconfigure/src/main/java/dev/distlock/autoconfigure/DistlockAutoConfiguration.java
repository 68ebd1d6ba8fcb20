package dev.distlock.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import dev.distlock.LockConfigurationException;
import dev.distlock.LockTemplate;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.engine.LockEngines;
import dev.distlock.spi.LockProvider;

/**
 * Auto-configuration of distlock: the lock provider for the backend the application has, one
 * engine per {@link LockProvider} bean, the shared lease watchdog, {@link LockTemplate}, and the
 * interception of {@code @DistributedLocked} and {@code @Scheduled} methods.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "distlock.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DistlockProperties.class)
@Import({ LockProviderConfiguration.class, LockInterceptionConfiguration.class })
public final class DistlockAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	LeaseWatchdog distlockLeaseWatchdog(ObjectProvider<Clock> clock) {
		return new LeaseWatchdog(clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean
	EngineSettings distlockEngineSettings(DistlockProperties properties, ObjectProvider<Clock> clock) {
		DistlockPropertiesValidator.validate(properties);
		String instanceId = (properties.getInstanceId() != null) ? properties.getInstanceId() : InstanceId.generate();
		return new EngineSettings(instanceId, properties.getLeaseTime(), properties.getWaitTime(),
				properties.getLeaseLost().isInterrupt(), clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	LockEngineObserver distlockLockEngineObserver(ApplicationEventPublisher publisher,
			ObjectProvider<LockEngineObserverContributor> contributors) {
		List<LockEngineObserver> observers = new ArrayList<>();
		observers.add(new LeaseLostEventPublisher(publisher));
		contributors.orderedStream().forEach((contributor) -> observers.add(contributor.observer()));
		return new CompositeLockEngineObserver(observers);
	}

	@Bean
	@ConditionalOnMissingBean
	LockEngines distlockLockEngines(ConfigurableListableBeanFactory beanFactory, ObjectProvider<LockProvider> providers,
			LeaseWatchdog watchdog, EngineSettings settings, LockEngineObserver observer) {
		Map<String, LockEngine> engines = new LinkedHashMap<>();
		for (String name : beanFactory.getBeanNamesForType(LockProvider.class)) {
			engines.put(name, new LockEngine(beanFactory.getBean(name, LockProvider.class), watchdog, settings, observer));
		}
		LockProvider primary = providers.getIfUnique();
		if (primary == null) {
			throw new LockConfigurationException("Several LockProvider beans " + engines.keySet()
					+ " and none is @Primary: mark the default one @Primary");
		}
		LockEngine primaryEngine = engines.values().stream()
			.filter((engine) -> engine.provider() == primary)
			.findFirst()
			.orElseThrow();
		return new LockEngines(primaryEngine, engines);
	}

	@Bean
	@ConditionalOnMissingBean
	LockTemplate lockTemplate(LockEngines engines) {
		return engines.primary();
	}

	@Bean
	HeldLocksDrain distlockHeldLocksDrain(LockEngines engines, Environment environment) {
		// Boot's own bound on each shutdown phase.
		Duration timeout = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30));
		return new HeldLocksDrain(engines, timeout);
	}

}
