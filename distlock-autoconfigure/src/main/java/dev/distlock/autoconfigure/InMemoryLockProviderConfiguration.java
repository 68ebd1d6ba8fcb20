package dev.distlock.autoconfigure;

import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.LockProvider;

/**
 * The in-memory provider, on explicit request only ({@code distlock.provider=in-memory}): it
 * coordinates threads of one JVM, not instances, so {@code auto} never picks it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLockBackend(LockBackend.IN_MEMORY)
class InMemoryLockProviderConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(InMemoryLockProviderConfiguration.class);

	private static final Set<String> DEVELOPMENT_PROFILES = Set.of("dev", "development", "local", "test");

	@Bean
	@ConditionalOnMissingBean(LockProvider.class)
	InMemoryLockProvider distlockLockProvider(Environment environment) {
		boolean development = false;
		for (String profile : environment.getActiveProfiles()) {
			development |= DEVELOPMENT_PROFILES.contains(profile);
		}
		if (!development) {
			logger.warn("distlock.provider=in-memory locks only within this JVM: other instances of this application "
					+ "are NOT excluded. Use it for tests and local development only.");
		}
		return new InMemoryLockProvider();
	}

}
