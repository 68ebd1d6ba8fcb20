package dev.distlock.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

import dev.distlock.LockTemplate;
import dev.distlock.aop.LockDefaults;
import dev.distlock.aop.LockInterceptionConfiguration;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.InstanceId;
import dev.distlock.engine.LockEngineConfiguration;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.engine.LockEngines;

/**
 * Auto-configuration of distlock: the lock provider that {@code distlock.provider} selects (one
 * configuration per backend, chosen by {@link ConditionalOnLockBackend}), and on it the engines,
 * {@link LockTemplate} and the interception of {@code @DistributedLocked} and {@code @Scheduled}
 * methods — the same {@link LockEngineConfiguration} and {@link LockInterceptionConfiguration}
 * that {@code @EnableDistributedLocking} imports — with their settings from {@code distlock.*}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"io.awspring.cloud.autoconfigure.dynamodb.DynamoDbAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "distlock.enabled", matchIfMissing = true)
@Import({ DistlockPropertiesConfiguration.class, JdbcLockProviderConfiguration.class, RedisLockProviderConfiguration.class,
		RedlockLockProviderConfiguration.class, ZooKeeperLockProviderConfiguration.class,
		EtcdLockProviderConfiguration.class, DynamoDbLockProviderConfiguration.class,
		InMemoryLockProviderConfiguration.class,
		UnavailableLockProviderConfiguration.class, LockEngineConfiguration.class,
		LockInterceptionConfiguration.class, LeaderElectionConfiguration.class })
public final class DistlockAutoConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static LockDefaults distlockLockDefaults(DistlockProperties properties) {
		return properties.lockDefaults();
	}

	@Bean
	@ConditionalOnMissingBean
	EngineSettings distlockEngineSettings(DistlockProperties properties, ObjectProvider<Clock> clock) {
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
	HeldLocksDrain distlockHeldLocksDrain(LockEngines engines, Environment environment,
			ConfigurableListableBeanFactory beanFactory) {
		// Boot's own bound on each shutdown phase.
		Duration timeout = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30));
		HeldLocksDrain.stopBeforeTheProvidersClients(beanFactory, "distlockHeldLocksDrain");
		return new HeldLocksDrain(engines, timeout);
	}

}
