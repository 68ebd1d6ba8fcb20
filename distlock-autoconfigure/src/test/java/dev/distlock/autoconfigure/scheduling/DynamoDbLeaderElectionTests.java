package dev.distlock.autoconfigure.scheduling;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Leader election on the {@code dynamodb} provider (a lease by conditional writes on a record
 * version), on dynalite, each instance with its own {@code DynamoDbClient}.
 */
class DynamoDbLeaderElectionTests extends LeaderElectionContractTests {

	private static String table;

	@BeforeAll
	static void createTable() {
		table = DynamoDbTestClient.createTable("distlock_leader");
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
