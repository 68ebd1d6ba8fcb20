package dev.distlock.autoconfigure.scheduling;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.autoconfigure.DistlockAutoConfiguration;
import dev.distlock.dynamodb.DynamoDbLockProvider;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A client of the test DynamoDB API server, dynalite, at {@code DISTLOCK_TEST_DYNAMODB_URL}
 * (default {@code http://127.0.0.1:8000}), as an application would define its {@link DynamoDbClient} bean.
 */
public final class DynamoDbTestClient {

	public static final String URL = TestBackends.env("DISTLOCK_TEST_DYNAMODB_URL", "http://127.0.0.1:8000");

	private DynamoDbTestClient() {
	}

	public static DynamoDbClient create() {
		return create(URL);
	}

	/** Creates a lock table of a name unique to this run (with {@code prefix}) and returns its name. */
	public static String createTable(String prefix) {
		String table = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
		try (DynamoDbClient client = create()) {
			new DynamoDbLockProvider(client, table).createTableIfMissing();
		}
		return table;
	}

	public static void dropTable(String table) {
		try (DynamoDbClient client = create()) {
			client.deleteTable((request) -> request.tableName(table));
		}
	}

	public static DynamoDbClient create(String url) {
		return DynamoDbClient.builder()
			.endpointOverride(URI.create(url))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.httpClientBuilder(UrlConnectionHttpClient.builder()
				.connectionTimeout(Duration.ofSeconds(2))
				.socketTimeout(Duration.ofSeconds(10)))
			.overrideConfiguration((config) -> config.apiCallTimeout(Duration.ofSeconds(20)))
			.build();
	}

	/** An instance's own {@link DynamoDbClient} bean, as an application defines it, and distlock on it. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DistlockAutoConfiguration.class)
	public static class Instance {

		@Bean(destroyMethod = "close")
		DynamoDbClient dynamoDbClient() {
			return create();
		}

	}

}
