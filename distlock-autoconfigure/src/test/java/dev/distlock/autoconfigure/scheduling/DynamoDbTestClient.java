package dev.distlock.autoconfigure.scheduling;

import java.net.URI;
import java.time.Duration;

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

}
