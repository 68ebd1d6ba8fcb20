package dev.distlock.autoconfigure.coordination;

import dev.distlock.autoconfigure.scheduling.DynamoDbTestClient;

/**
 * Permits and several keys on the {@code dynamodb} provider (leases by conditional writes), on
 * dynalite, each instance with its own {@code DynamoDbClient}.
 */
class DynamoDbCoordinationTests extends CoordinationContractTests {

	private String table;

	@Override
	protected void startBackend() {
		this.table = DynamoDbTestClient.createTable("distlock_coord");
	}

	@Override
	protected void stopBackend() {
		if (this.table != null) {
			DynamoDbTestClient.dropTable(this.table);
		}
	}

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { DynamoDbTestClient.Instance.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "distlock.provider=dynamodb", "distlock.dynamodb.table-name=" + this.table };
	}

}
