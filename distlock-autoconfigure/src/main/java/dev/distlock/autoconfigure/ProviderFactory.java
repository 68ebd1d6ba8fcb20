package dev.distlock.autoconfigure;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.distlock.autoconfigure.DistlockProperties.ProviderType;
import dev.distlock.spi.LockProvider;

/**
 * Creates the providers of one backend family from the application's beans. Implementations touch
 * optional client classes only after {@link #unavailableReason()} said they are present.
 */
interface ProviderFactory {

	/** The provider types this factory can create. */
	Set<ProviderType> types();

	/**
	 * Why this backend cannot be used (missing library or bean), or {@code null} if it can.
	 */
	@Nullable String unavailableReason();

	/** The provider type {@code distlock.provider=auto} should use with this backend. */
	ProviderType autoType();

	/** Creates the provider; {@code type} is one of {@link #types()}. */
	LockProvider create(ProviderType type);

}
