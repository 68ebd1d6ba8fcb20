package dev.distlock.autoconfigure;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.distlock.etcd.EtcdLockProvider;
import dev.distlock.dynamodb.DynamoDbLockProvider;
import dev.distlock.zookeeper.ZooKeeperLockProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata an IDE shows states the defaults that really apply: those of
 * {@link DistlockProperties} and of the providers it defers to, so the documented defaults cannot
 * drift from the code's.
 */
class ConfigurationMetadataTests {

	private final Map<String, JsonNode> properties = readProperties();

	@Test
	void documentedDefaultsAreTheDefaultsThatApply() {
		DistlockProperties defaults = new DistlockProperties();
		assertThat(duration("distlock.lease-time")).isEqualTo(defaults.getLeaseTime());
		assertThat(duration("distlock.wait-time")).isEqualTo(defaults.getWaitTime());
		assertThat(duration("distlock.leader.lease-time")).isEqualTo(defaults.getLeader().getLeaseTime());
		assertThat(text("distlock.redis.key-prefix")).isEqualTo(defaults.getRedis().getKeyPrefix());
		assertThat(text("distlock.jdbc.table-name")).isEqualTo(defaults.getJdbc().getTableName());
		assertThat(Integer.parseInt(text("distlock.jdbc.lock-connections")))
			.isEqualTo(defaults.getJdbc().getLockConnections());
		assertThat(text("distlock.zookeeper.base-path")).isEqualTo(defaults.getZookeeper().getBasePath());
		assertThat(duration("distlock.zookeeper.session-timeout")).isEqualTo(ZooKeeperLockProvider.DEFAULT_SESSION_TIMEOUT);
		assertThat(duration("distlock.zookeeper.connection-timeout"))
			.isEqualTo(ZooKeeperLockProvider.DEFAULT_CONNECTION_TIMEOUT);
		assertThat(text("distlock.etcd.key-prefix")).isEqualTo(defaults.getEtcd().getKeyPrefix());
		assertThat(duration("distlock.etcd.session-ttl")).isEqualTo(EtcdLockProvider.DEFAULT_SESSION_TTL);
		assertThat(duration("distlock.etcd.request-timeout")).isEqualTo(EtcdLockProvider.DEFAULT_REQUEST_TIMEOUT);
		assertThat(text("distlock.dynamodb.table-name")).isEqualTo(DynamoDbLockProvider.DEFAULT_TABLE_NAME)
			.isEqualTo(defaults.getDynamodb().getTableName());
		assertThat(duration("distlock.scheduled.max-clock-skew")).isEqualTo(defaults.getScheduled().getMaxClockSkew());
	}

	@Test
	void everyPropertyIsDescribed() {
		assertThat(this.properties).isNotEmpty();
		this.properties.forEach((name, property) -> {
			if (name.startsWith("distlock.")) {
				assertThat(property.path("description").asString("")).as(name).isNotBlank();
			}
		});
	}

	@Test
	void theIdeOffersEveryProviderWithADescription() {
		assertThat(hintValues("distlock.provider")).containsExactlyInAnyOrderElementsOf(
				Arrays.stream(DistlockProperties.ProviderType.values()).map(DistlockProperties.ProviderType::id).toList());
	}

	@Test
	void theIdeOffersBootsSchemaInitializationModes() {
		assertThat(hintValues("distlock.jdbc.initialize-schema")).containsExactlyInAnyOrderElementsOf(
				Arrays.stream(DistlockProperties.InitializeSchema.values())
					.map((mode) -> mode.name().toLowerCase(Locale.ROOT))
					.toList());
	}

	/** The values hinted for a property; each must come with a description. */
	private List<String> hintValues(String property) {
		JsonNode hint = null;
		for (JsonNode candidate : readMetadata().get("hints")) {
			if (candidate.get("name").asString().equals(property)) {
				hint = candidate;
			}
		}
		assertThat(hint).as("hint for " + property).isNotNull();
		List<String> values = new ArrayList<>();
		for (JsonNode value : hint.get("values")) {
			assertThat(value.path("description").asString("")).as(property + "=" + value.get("value")).isNotBlank();
			values.add(value.get("value").asString());
		}
		return values;
	}

	private Duration duration(String name) {
		return ApplicationConversionService.getSharedInstance().convert(text(name), Duration.class);
	}

	private String text(String name) {
		JsonNode value = this.properties.get(name).get("defaultValue");
		assertThat(value).as("default of " + name).isNotNull();
		return value.asString();
	}

	private static Map<String, JsonNode> readProperties() {
		Map<String, JsonNode> byName = new HashMap<>();
		readMetadata().get("properties").forEach((p) -> byName.put(p.get("name").asString(), p));
		return byName;
	}

	/** The metadata the configuration processor generated, as an IDE reads it from the jar. */
	private static JsonNode readMetadata() {
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			return JsonMapper.builder().build().readTree(in);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
