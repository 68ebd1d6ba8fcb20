package dev.distlock.engine;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.LockConfigurationException;
import dev.distlock.LockTemplate;
import dev.distlock.spi.LockProvider;

/**
 * The engines behind {@link LockTemplate} and the annotations: one {@link LockEngine} per
 * {@link LockProvider} bean, sharing one {@link LeaseWatchdog}; the primary provider's engine is
 * the {@link LockTemplate}. Shared by the Spring Boot auto-configuration and
 * {@link dev.distlock.EnableDistributedLocking}.
 *
 * <p>Optional beans it uses: {@link EngineSettings} (without one: a generated instance id, a 30 s
 * lease, a single attempt), a {@link LockEngineObserver} and a {@link Clock}.
 */
@Configuration(proxyBeanMethods = false)
public class LockEngineConfiguration {

	@Bean(destroyMethod = "close")
	LeaseWatchdog distlockLeaseWatchdog(ObjectProvider<Clock> clock) {
		return new LeaseWatchdog(clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	LockEngines distlockLockEngines(ConfigurableListableBeanFactory beanFactory, ObjectProvider<LockProvider> providers,
			LeaseWatchdog watchdog, ObjectProvider<EngineSettings> settings, ObjectProvider<LockEngineObserver> observer,
			ObjectProvider<Clock> clock) {
		EngineSettings engineSettings = settings
			.getIfAvailable(() -> EngineSettings.defaults(InstanceId.generate(), clock.getIfAvailable(Clock::systemUTC)));
		LockEngineObserver engineObserver = observer.getIfAvailable(() -> LockEngineObserver.NOOP);
		Map<String, LockEngine> engines = new LinkedHashMap<>();
		for (String name : beanFactory.getBeanNamesForType(LockProvider.class)) {
			engines.put(name, new LockEngine(beanFactory.getBean(name, LockProvider.class), watchdog, engineSettings,
					engineObserver));
		}
		if (engines.isEmpty()) {
			throw new LockConfigurationException("distlock needs a LockProvider bean: define one (e.g. a "
					+ "RedisLockProvider) or use the Spring Boot starter, which configures it");
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
	LockTemplate lockTemplate(LockEngines engines) {
		return engines.primary();
	}

}
