package dev.distlock.autoconfigure.scheduling;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Once per fire time on the {@code dynamodb} provider (dynalite), each instance with its own
 * {@link DynamoDbClient}. A slot claim is never taken over early: no instance ever sees a claim's
 * record version expire within the claim window, so ticks cannot run twice.
 */
class DynamoDbOncePerFireTimeTests extends OncePerFireTimeContractTests {

	private static String table;

	@BeforeAll
	static void createTable() {
		table = DynamoDbTestClient.createTable("distlock_slots");
	}

	@AfterAll
	static void dropTable() {
		DynamoDbTestClient.dropTable(table);
	}

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { DynamoDbTestClient.Instance.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "distlock.provider=dynamodb", "distlock.dynamodb.table-name=" + table };
	}

}
