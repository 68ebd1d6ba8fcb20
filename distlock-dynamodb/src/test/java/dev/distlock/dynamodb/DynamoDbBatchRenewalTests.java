package dev.distlock.dynamodb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renewing 300 held leases in one {@code extendAll}, counting the HTTP requests the SDK sends.
 * DynamoDB takes {@code TransactWriteItems} of 100 items (3 requests here; 10 for 1,000); dynalite has no transactions,
 * so there the provider finds out with one request and renews one by one.
 */
class DynamoDbBatchRenewalTests {

	private static final String TABLE = DynamoDbTestClients.uniqueTable("batch");

	/** 300 keeps the test short on dynalite (~45 ms a write here); 1,000 was measured the same way. */
	private static final int LEASES = 300;

	private static final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

	private static DynamoDbClient client;

	@BeforeAll
	static void createTable() {
		client = DynamoDbTestClients.client(DynamoDbTestClients.URL, new ExecutionInterceptor() {
			@Override
			public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
				requests.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
						(name) -> new AtomicInteger()).incrementAndGet();
			}
		});
		new DynamoDbLockProvider(client, TABLE).createTableIfMissing();
	}

	@AfterAll
	static void dropTable() {
		client.deleteTable((request) -> request.tableName(TABLE));
		client.close();
	}

	@Test
	void renewsManyHeldLeasesInOneCallAndCountsItsRoundTrips() {
		DynamoDbLockProvider provider = new DynamoDbLockProvider(client, TABLE);
		List<Lease> leases = new ArrayList<>();
		for (int i = 0; i < LEASES; i++) {
			leases.add(provider.tryAcquire(new LeaseRequest("batch-" + i + "-" + UUID.randomUUID(), "batch#" + i,
					Duration.ofSeconds(60))).orElseThrow());
		}
		DynamoDbLockProvider other = new DynamoDbLockProvider(client, TABLE);
		other.forceRelease(leases.get(150).lockId());
		requests.clear();

		Set<Lease> held = provider.extendAll(leases);

		int transactions = requests.getOrDefault("TransactWriteItems", new AtomicInteger()).get();
		int singles = requests.getOrDefault("UpdateItem", new AtomicInteger()).get();
		System.out.printf("[measured] dynamodb: extendAll of %d leases = %d TransactWriteItems + %d UpdateItem requests%n",
				LEASES, transactions, singles);
		assertThat(held).hasSize(LEASES - 1).doesNotContain(leases.get(150));
		if (singles >= LEASES) {
			// dynalite: no TransactWriteItems; found out with one request, then one write per lease.
			assertThat(transactions).as("the endpoint's lack of transactions is found out once").isEqualTo(1);
			assertThat(singles).isEqualTo(LEASES);
		}
		else {
			// DynamoDB: 100 per transaction; the one cancelled by the lost lease renews its other 99 singly.
			assertThat(transactions).isEqualTo(LEASES / BatchExtension.ITEMS_PER_TRANSACTION);
			assertThat(singles).isLessThanOrEqualTo(99);
		}
	}

}
