package dev.distlock.engine;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.distlock.LockConfigurationException;

/**
 * The engines of an application, one per {@code LockProvider} bean, by bean name; the primary one
 * serves requests that name no provider.
 */
public final class LockEngines {

	private final LockEngine primary;

	private final Map<String, LockEngine> byProviderName;

	public LockEngines(LockEngine primary, Map<String, LockEngine> byProviderName) {
		this.primary = primary;
		this.byProviderName = Map.copyOf(byProviderName);
	}

	/** The primary engine, or the one for the named provider bean. */
	public LockEngine forProvider(@Nullable String providerBeanName) {
		if (providerBeanName == null || providerBeanName.isEmpty()) {
			return this.primary;
		}
		LockEngine engine = this.byProviderName.get(providerBeanName);
		if (engine == null) {
			throw new LockConfigurationException("No LockProvider bean named '" + providerBeanName + "'; known: "
					+ this.byProviderName.keySet());
		}
		return engine;
	}

	public boolean hasProvider(String providerBeanName) {
		return this.byProviderName.containsKey(providerBeanName);
	}

	public Set<String> providerNames() {
		return this.byProviderName.keySet();
	}

	public LockEngine primary() {
		return this.primary;
	}

	public Iterable<LockEngine> all() {
		return this.byProviderName.values();
	}

}
