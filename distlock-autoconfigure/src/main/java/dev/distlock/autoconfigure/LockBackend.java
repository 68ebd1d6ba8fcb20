package dev.distlock.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import dev.distlock.autoconfigure.DistlockProperties.ProviderType;

/**
 * A family of lock providers and what an application needs to use it: the provider module and
 * client library on the classpath, and a client bean (or, for some, a property naming the server).
 * Each has one provider configuration guarded by {@link ConditionalOnLockBackend}. Adding a backend
 * is one constant here and one configuration class imported by {@link DistlockAutoConfiguration}.
 */
enum LockBackend {

	/** The JDBC providers on the application's DataSource. */
	JDBC("distlock-jdbc with spring-jdbc (spring-boot-starter-jdbc)", "javax.sql.DataSource", null,
			List.of("org.springframework.jdbc.core.JdbcTemplate", "dev.distlock.jdbc.table.JdbcTableLockProvider"),
			ProviderType.JDBC_TABLE, ProviderType.POSTGRES, ProviderType.MYSQL),

	/** Redis through spring-data-redis. */
	REDIS("distlock-redis with spring-data-redis (spring-boot-starter-data-redis)",
			"org.springframework.data.redis.connection.RedisConnectionFactory", null,
			List.of("org.springframework.data.redis.connection.RedisConnectionFactory",
					"dev.distlock.redis.RedisLockProvider"),
			ProviderType.REDIS),

	/** ZooKeeper through Curator: the application's client, or one built from the connect string. */
	ZOOKEEPER("distlock-zookeeper with curator-recipes", "org.apache.curator.framework.CuratorFramework",
			"distlock.zookeeper.connect-string",
			List.of("org.apache.curator.framework.CuratorFramework", "dev.distlock.zookeeper.ZooKeeperLockProvider"),
			ProviderType.ZOOKEEPER),

	/**
	 * Redlock over independent Redis masters: the application's RedlockProvider bean, or one built
	 * from {@code distlock.redlock.nodes}; never chosen by {@code auto} (it needs timing
	 * assumptions the user must accept knowingly).
	 */
	REDLOCK("distlock-redis with spring-data-redis and lettuce-core", "dev.distlock.redis.redlock.RedlockProvider",
			"distlock.redlock.nodes",
			List.of("org.springframework.data.redis.connection.RedisConnectionFactory", "io.lettuce.core.RedisClient",
					"dev.distlock.redis.redlock.RedlockProvider"),
			ProviderType.REDLOCK),
	/** etcd through jetcd: the application's client, or one built from the endpoints. */
	ETCD("distlock-etcd with jetcd-core", "io.etcd.jetcd.Client", "distlock.etcd.endpoints",
			List.of("io.etcd.jetcd.Client", "dev.distlock.etcd.EtcdLockProvider"), ProviderType.ETCD),
	/** DynamoDB on the application's DynamoDbClient (AWS SDK v2, e.g. from Spring Cloud AWS). */
	DYNAMODB("distlock-dynamodb with the AWS SDK v2 (software.amazon.awssdk:dynamodb)",
			"software.amazon.awssdk.services.dynamodb.DynamoDbClient", null,
			List.of("software.amazon.awssdk.services.dynamodb.DynamoDbClient",
					"dev.distlock.dynamodb.DynamoDbLockProvider"),
			ProviderType.DYNAMODB),

	/** One JVM only; never chosen by {@code auto}. */
	IN_MEMORY("distlock-core", null, null, List.of(), ProviderType.IN_MEMORY);

	private final String library;

	private final @Nullable String clientType;

	private final @Nullable String serverProperty;

	private final List<String> requiredClasses;

	private final Set<ProviderType> types;

	private final ProviderType defaultType;

	LockBackend(String library, @Nullable String clientType, @Nullable String serverProperty,
			List<String> requiredClasses, ProviderType... types) {
		this.library = library;
		this.clientType = clientType;
		this.serverProperty = serverProperty;
		this.requiredClasses = requiredClasses;
		this.types = Set.of(types);
		this.defaultType = types[0];
	}

	/** The provider type {@code auto} uses when nothing more specific is known. */
	ProviderType defaultType() {
		return this.defaultType;
	}

	/** The backend of a provider type; {@code auto} has none. */
	static @Nullable LockBackend of(ProviderType type) {
		return Arrays.stream(values()).filter((backend) -> backend.types.contains(type)).findFirst().orElse(null);
	}

	/** Whether {@code distlock.provider=auto} may choose this backend. */
	boolean isAutoCandidate() {
		return this != IN_MEMORY && this != REDLOCK;
	}

	String id() {
		return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

	/**
	 * What the application has of this backend, judged from bean definitions and properties
	 * without creating any bean.
	 */
	Availability availability(ConfigurableListableBeanFactory beanFactory, Environment environment,
			@Nullable ClassLoader classLoader) {
		for (String required : this.requiredClasses) {
			if (!ClassUtils.isPresent(required, classLoader)) {
				return Availability.missing(this.library + " is not on the classpath");
			}
		}
		if (this.clientType == null) {
			return Availability.present("always available");
		}
		String simpleName = ClassUtils.getShortName(this.clientType);
		String[] clients = SingleCandidate.beanNames(beanFactory, this.clientType, classLoader);
		if (clients.length > 0) {
			String client = SingleCandidate.of(beanFactory, clients);
			return (client != null) ? Availability.present("the " + simpleName + " bean '" + client + "'")
					: Availability.missing("the application has several " + simpleName + " beans "
							+ Arrays.toString(clients) + " and none is @Primary");
		}
		if (this.serverProperty != null && StringUtils.hasText(environment.getProperty(this.serverProperty))) {
			return Availability.present(this.serverProperty + " is set");
		}
		return Availability.missing("the application has no " + simpleName + " bean"
				+ ((this.serverProperty != null) ? " and " + this.serverProperty + " is not set" : ""));
	}

	/**
	 * Whether an application has what a backend needs.
	 *
	 * @param available whether it can be used
	 * @param reason what was found, or what is missing
	 */
	record Availability(boolean available, String reason) {

		static Availability present(String reason) {
			return new Availability(true, reason);
		}

		static Availability missing(String reason) {
			return new Availability(false, reason);
		}

	}

}
