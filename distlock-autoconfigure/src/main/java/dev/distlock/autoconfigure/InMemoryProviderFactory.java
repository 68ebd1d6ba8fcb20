package dev.distlock.autoconfigure;

import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

import dev.distlock.autoconfigure.DistlockProperties.ProviderType;
import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.LockProvider;

/**
 * The in-memory provider, on explicit request only ({@code distlock.provider=in-memory}): it
 * coordinates threads of one JVM, not instances, so {@code auto} never picks it.
 */
final class InMemoryProviderFactory implements ProviderFactory {

	private static final Logger logger = LoggerFactory.getLogger(InMemoryProviderFactory.class);

	private static final Set<String> DEVELOPMENT_PROFILES = Set.of("dev", "development", "local", "test");

	private final Environment environment;

	InMemoryProviderFactory(Environment environment) {
		this.environment = environment;
	}

	@Override
	public Set<ProviderType> types() {
		return Set.of(ProviderType.IN_MEMORY);
	}

	@Override
	public @Nullable String unavailableReason() {
		return null;
	}

	@Override
	public ProviderType autoType() {
		return ProviderType.IN_MEMORY;
	}

	@Override
	public LockProvider create(ProviderType type) {
		boolean development = false;
		for (String profile : this.environment.getActiveProfiles()) {
			development |= DEVELOPMENT_PROFILES.contains(profile);
		}
		if (!development) {
			logger.warn("distlock.provider=in-memory locks only within this JVM: other instances of this application "
					+ "are NOT excluded. Use it for tests and local development only.");
		}
		return new InMemoryLockProvider();
	}

}
