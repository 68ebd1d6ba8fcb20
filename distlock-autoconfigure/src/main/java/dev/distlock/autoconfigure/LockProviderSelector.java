package dev.distlock.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

import dev.distlock.LockConfigurationException;
import dev.distlock.autoconfigure.DistlockProperties.ProviderType;
import dev.distlock.spi.LockProvider;

/**
 * Chooses and creates the lock provider for {@code distlock.provider}: the named one, or for
 * {@code auto} the only backend the application has. Fails with a message that says what is
 * missing or ambiguous and how to fix it.
 */
final class LockProviderSelector {

	private final List<ProviderFactory> factories;

	LockProviderSelector(List<ProviderFactory> factories) {
		this.factories = factories;
	}

	LockProvider select(ProviderType requested) {
		return (requested == ProviderType.AUTO) ? selectAutomatically() : create(requested);
	}

	private LockProvider create(ProviderType type) {
		ProviderFactory factory = this.factories.stream()
			.filter((candidate) -> candidate.types().contains(type))
			.findFirst()
			.orElseThrow(() -> new LockConfigurationException(
					"distlock.provider=" + type.id() + " is not supported by this distlock version"));
		String reason = factory.unavailableReason();
		if (reason != null) {
			throw new LockConfigurationException("distlock.provider=" + type.id() + " cannot be used: " + reason);
		}
		return factory.create(type);
	}

	private LockProvider selectAutomatically() {
		List<ProviderFactory> available = this.factories.stream()
			.filter((factory) -> !factory.types().contains(ProviderType.IN_MEMORY))
			.filter((factory) -> factory.unavailableReason() == null)
			.toList();
		if (available.isEmpty()) {
			throw new LockConfigurationException("distlock.provider=auto found no lock backend. Add one the "
					+ "application can reach — a DataSource (spring-boot-starter-jdbc + a driver), a Redis connection "
					+ "(spring-boot-starter-data-redis) or ZooKeeper (curator-recipes + distlock.zookeeper.connect-string) "
					+ "— or set distlock.provider=in-memory for tests, or distlock.enabled=false. Not usable: "
					+ this.factories.stream()
						.filter((factory) -> factory.unavailableReason() != null)
						.map((factory) -> factory.autoType().id() + " (" + factory.unavailableReason() + ")")
						.collect(Collectors.joining("; ")));
		}
		if (available.size() > 1) {
			throw new LockConfigurationException("distlock.provider=auto is ambiguous: the application has several "
					+ "lock backends (" + available.stream().map((f) -> f.autoType().id()).collect(Collectors.joining(", "))
					+ "). Choose one with distlock.provider, e.g. distlock.provider="
					+ available.get(0).autoType().id());
		}
		ProviderFactory factory = available.get(0);
		return factory.create(factory.autoType());
	}

}
