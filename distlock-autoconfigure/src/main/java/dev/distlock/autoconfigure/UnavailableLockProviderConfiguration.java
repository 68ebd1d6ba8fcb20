package dev.distlock.autoconfigure;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.distlock.LockConfigurationException;
import dev.distlock.spi.LockProvider;

/**
 * Imported after every provider configuration: when none of them applied and the application has
 * no {@link LockProvider} of its own, startup fails with what {@code distlock.provider} is missing
 * or finds ambiguous, and how to fix it.
 */
@Configuration(proxyBeanMethods = false)
class UnavailableLockProviderConfiguration {

	@Bean
	@ConditionalOnMissingBean(LockProvider.class)
	LockProvider distlockLockProvider(ConfigurableListableBeanFactory beanFactory, Environment environment) {
		throw new LockConfigurationException(
				LockProviderChoice.decide(beanFactory, environment, beanFactory.getBeanClassLoader()).reason());
	}

}
