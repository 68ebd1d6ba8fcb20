package dev.distlock.dynamodb;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.distlock.spi.LockProvider;
import dev.distlock.test.LockProviderContractTest;
import dev.distlock.test.server.LoopbackPort;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The TCK against dynalite: each simulated instance has its own client and provider. */
class DynamoDbLockProviderContractTest extends LockProviderContractTest {

	private static final String TABLE = DynamoDbTestClients.uniqueTable("tck");

	private static DynamoDbClient setupClient;

	@BeforeAll
	static void createTable() {
		setupClient = DynamoDbTestClients.client();
		new DynamoDbLockProvider(setupClient, TABLE).createTableIfMissing();
	}

	@AfterAll
	static void dropTable() {
		setupClient.deleteTable((request) -> request.tableName(TABLE));
		setupClient.close();
	}

	@Override
	protected LockProvider createProvider(int instance) {
		DynamoDbClient client = DynamoDbTestClients.client();
		return new ClosingClient(new DynamoDbLockProvider(client, TABLE), client);
	}

	@Override
	protected LockProvider createUnreachableProvider() {
		DynamoDbClient client = DynamoDbClient.builder()
			.endpointOverride(java.net.URI.create("http://127.0.0.1:" + LoopbackPort.free()))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofMillis(500)))
			.overrideConfiguration((config) -> config.apiCallTimeout(Duration.ofSeconds(3)))
			.build();
		return new ClosingClient(new DynamoDbLockProvider(client, TABLE), client);
	}

}
