package dev.distlock.dynamodb;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Clients of the test DynamoDB API server: dynalite, at {@code DISTLOCK_TEST_DYNAMODB_URL}
 * (default {@code http://127.0.0.1:8000}; {@code scripts/ensure-services.sh} installs and starts it).
 */
final class DynamoDbTestClients {

	static final String URL = System.getenv().getOrDefault("DISTLOCK_TEST_DYNAMODB_URL", "http://127.0.0.1:8000");

	private DynamoDbTestClients() {
	}

	static DynamoDbClient client() {
		return client(URL);
	}

	static DynamoDbClient client(String url, ExecutionInterceptor... interceptors) {
		return DynamoDbClient.builder()
			.endpointOverride(URI.create(url))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.httpClientBuilder(UrlConnectionHttpClient.builder()
				.connectionTimeout(Duration.ofSeconds(2))
				.socketTimeout(Duration.ofSeconds(10)))
			.overrideConfiguration((config) -> {
				config.retryStrategy(RetryMode.STANDARD).apiCallTimeout(Duration.ofSeconds(20));
				for (ExecutionInterceptor interceptor : interceptors) {
					config.addExecutionInterceptor(interceptor);
				}
			})
			.build();
	}

	/** A table name of this test run's own, so parallel runs never share items. */
	static String uniqueTable(String purpose) {
		return "distlock_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8);
	}

}
