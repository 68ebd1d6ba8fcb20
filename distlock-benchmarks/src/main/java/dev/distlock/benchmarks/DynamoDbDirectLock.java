package dev.distlock.benchmarks;

import java.net.URI;

import dev.distlock.dynamodb.DynamoDbLockProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB provider's SPI called directly, on a DynamoDB API server (dynalite locally): one
 * conditional UpdateItem to acquire and one to release. A waiter retries at once, like the floor.
 */
final class DynamoDbDirectLock extends SpiDirectLock {

	private static final String TABLE = "distlock_bench";

	private final DynamoDbClient client;

	DynamoDbDirectLock(String url) {
		this(DynamoDbClient.builder()
			.endpointOverride(URI.create(url))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
			.httpClientBuilder(UrlConnectionHttpClient.builder())
			.build());
	}

	private DynamoDbDirectLock(DynamoDbClient client) {
		this(client, new DynamoDbLockProvider(client, TABLE));
	}

	private DynamoDbDirectLock(DynamoDbClient client, DynamoDbLockProvider provider) {
		super(provider, "dynamodb");
		this.client = client;
		provider.createTableIfMissing();
	}

	@Override
	public void close() {
		super.close();
		this.client.close();
	}

}
