package dev.distlock.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import dev.distlock.autoconfigure.DistlockProperties.ProviderType;

/**
 * Which lock provider {@code distlock.provider} selects, decided from bean definitions and
 * properties before any bean exists, so the decision and its reason appear in Spring Boot's
 * condition evaluation report ({@code --debug}).
 *
 * @param backend the chosen backend, or {@code null} if none can be used ({@code reason} says why
 * and how to fix it)
 * @param type the provider type, or {@code null} when only the database itself can tell (a JDBC
 * backend without {@code spring.datasource.url}: decided from the DataSource at startup)
 * @param reason why this backend, or why none
 */
record LockProviderChoice(@Nullable LockBackend backend, @Nullable ProviderType type, String reason) {

	private static final String DATABASE_DRIVER = "org.springframework.boot.jdbc.DatabaseDriver";

	static LockProviderChoice decide(ConfigurableListableBeanFactory beanFactory, Environment environment,
			@Nullable ClassLoader classLoader) {
		ProviderType requested;
		try {
			requested = Binder.get(environment).bind("distlock.provider", ProviderType.class).orElse(ProviderType.AUTO);
		}
		catch (BindException ex) {
			// Binding distlockProperties fails on the same value, with Spring Boot's own failure analysis.
			return new LockProviderChoice(null, null, "distlock.provider '" + environment.getProperty("distlock.provider")
					+ "' is not one of " + Arrays.stream(ProviderType.values()).map(ProviderType::id).toList());
		}
		return (requested == ProviderType.AUTO) ? automatic(beanFactory, environment, classLoader)
				: explicit(requested, beanFactory, environment, classLoader);
	}

	private static LockProviderChoice explicit(ProviderType type, ConfigurableListableBeanFactory beanFactory,
			Environment environment, @Nullable ClassLoader classLoader) {
		LockBackend backend = LockBackend.of(type);
		LockBackend.Availability availability = backend.availability(beanFactory, environment, classLoader);
		if (!availability.available()) {
			return new LockProviderChoice(null, type,
					"distlock.provider=" + type.id() + " cannot be used: " + availability.reason());
		}
		return new LockProviderChoice(backend, type,
				"distlock.provider=" + type.id() + " is set and " + availability.reason() + " is there");
	}

	private static LockProviderChoice automatic(ConfigurableListableBeanFactory beanFactory, Environment environment,
			@Nullable ClassLoader classLoader) {
		List<LockBackend> available = new ArrayList<>();
		List<String> reasons = new ArrayList<>();
		for (LockBackend backend : Arrays.stream(LockBackend.values()).filter(LockBackend::isAutoCandidate).toList()) {
			LockBackend.Availability availability = backend.availability(beanFactory, environment, classLoader);
			if (availability.available()) {
				available.add(backend);
			}
			reasons.add(backend.id() + ": " + availability.reason());
		}
		String found = String.join("; ", reasons);
		if (available.isEmpty()) {
			return new LockProviderChoice(null, null, "distlock.provider=auto found no lock backend. Add one the "
					+ "application can reach — a DataSource (spring-boot-starter-jdbc + a driver), a Redis connection "
					+ "(spring-boot-starter-data-redis) ZooKeeper (curator-recipes + distlock.zookeeper.connect-string) "
					+ "or etcd (jetcd-core + distlock.etcd.endpoints) — or set distlock.provider=in-memory for tests, or distlock.enabled=false. Found: " + found);
		}
		if (available.size() > 1) {
			return new LockProviderChoice(null, null, "distlock.provider=auto is ambiguous: the application has "
					+ "several lock backends (" + available.stream().map(LockBackend::id).collect(Collectors.joining(", "))
					+ "). Choose one with distlock.provider, e.g. distlock.provider="
					+ autoType(available.get(0), environment, classLoader).id() + ". Found: " + found);
		}
		LockBackend backend = available.get(0);
		if (backend == LockBackend.JDBC) {
			return jdbc(environment, classLoader, found);
		}
		ProviderType type = autoType(backend, environment, classLoader);
		return new LockProviderChoice(backend, type,
				"distlock.provider=auto chose " + type.id() + ", the only lock backend the application has (" + found + ")");
	}

	private static LockProviderChoice jdbc(Environment environment, @Nullable ClassLoader classLoader, String found) {
		String url = environment.getProperty("spring.datasource.url");
		ProviderType type = jdbcTypeFromUrl(url, classLoader);
		if (type == null) {
			return new LockProviderChoice(LockBackend.JDBC, null, "distlock.provider=auto chose the JDBC providers, "
					+ "the only lock backend the application has (" + found + "); postgres, mysql or jdbc-table is "
					+ "decided from the DataSource's database at startup");
		}
		return new LockProviderChoice(LockBackend.JDBC, type,
				"distlock.provider=auto chose " + type.id() + ": the only lock backend the application has is a "
						+ "DataSource (" + found + ") and spring.datasource.url '" + url + "' is "
						+ switch (type) {
							case POSTGRES -> "PostgreSQL, which has advisory locks";
							case MYSQL -> "MySQL/MariaDB, which has GET_LOCK";
							default -> "a database without advisory locks, so distlock uses a lease table";
						});
	}

	private static ProviderType autoType(LockBackend backend, Environment environment, @Nullable ClassLoader classLoader) {
		ProviderType type = (backend == LockBackend.JDBC)
				? jdbcTypeFromUrl(environment.getProperty("spring.datasource.url"), classLoader) : null;
		return (type != null) ? type : backend.defaultType();
	}

	/** The JDBC provider for a database URL, through Spring Boot's own driver table. */
	static @Nullable ProviderType jdbcTypeFromUrl(@Nullable String url, @Nullable ClassLoader classLoader) {
		if (url == null || url.isBlank() || !ClassUtils.isPresent(DATABASE_DRIVER, classLoader)) {
			return null;
		}
		return switch (org.springframework.boot.jdbc.DatabaseDriver.fromJdbcUrl(url)) {
			case POSTGRESQL -> ProviderType.POSTGRES;
			case MYSQL, MARIADB -> ProviderType.MYSQL;
			case UNKNOWN -> null;
			default -> ProviderType.JDBC_TABLE;
		};
	}

}
