package dev.distlock.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.distlock.dynamodb.DynamoDbLockProvider;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB provider's SPI called directly, on a DynamoDB API server (dynalite locally): one
 * conditional UpdateItem to acquire and one to release. A waiter retries at once, like the floor.
 */
final class DynamoDbDirectLock implements LockUnderTest {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final String TABLE = "distlock_bench";

	private static final AtomicLong owners = new AtomicLong();

	private final DynamoDbClient client;

	private final DynamoDbLockProvider provider;

	DynamoDbDirectLock(String url) {
		this.client = DynamoDbClient.builder()
			.endpointOverride(URI.create(url))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
			.httpClientBuilder(UrlConnectionHttpClient.builder())
			.build();
		this.provider = new DynamoDbLockProvider(this.client, TABLE);
		this.provider.createTableIfMissing();
	}

	@Override
	public long runLocked(String key, Runnable section) {
		LeaseRequest request = new LeaseRequest(key, "dynamodb#" + owners.incrementAndGet(), LEASE);
		long start = System.nanoTime();
		Optional<Lease> lease = this.provider.tryAcquire(request);
		while (lease.isEmpty()) {
			Thread.onSpinWait();
			lease = this.provider.tryAcquire(request);
		}
		long waited = System.nanoTime() - start;
		try {
			section.run();
		}
		finally {
			this.provider.release(lease.get());
		}
		return waited;
	}

	@Override
	public void close() {
		this.provider.close();
		this.client.close();
	}

}
