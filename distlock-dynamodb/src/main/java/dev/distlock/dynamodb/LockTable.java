package dev.distlock.dynamodb;

import java.time.Duration;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.distlock.LockBackendException;
import dev.distlock.LockConfigurationException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The lock table: its name, creation ({@code distlock.dynamodb.create-table}), the health check,
 * and the translation of SDK failures into {@link LockBackendException}s that name the table and,
 * for a missing one, say how to create it.
 */
final class LockTable {

	static final String TABLE_NAME_PROPERTY = "distlock.dynamodb.table-name";

	/** DynamoDB's rule for table names. */
	private static final Pattern VALID_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

	private static final Duration CREATION_BOUND = Duration.ofMinutes(2);

	private final DynamoDbClient client;

	private final String name;

	LockTable(DynamoDbClient client, String name) {
		if (name == null || !VALID_NAME.matcher(name).matches()) {
			throw new LockConfigurationException(TABLE_NAME_PROPERTY + " '" + name
					+ "' is not a DynamoDB table name (3 to 255 of a-z, A-Z, 0-9, '_', '-', '.')");
		}
		this.client = client;
		this.name = name;
	}

	String name() {
		return this.name;
	}

	/** Creates the table (on-demand billing) unless it exists, and waits until it is active. */
	void createIfMissing() {
		try {
			this.client.createTable(CreateTableRequest.builder()
				.tableName(this.name)
				.attributeDefinitions(AttributeDefinition.builder()
					.attributeName(LockItem.KEY)
					.attributeType(ScalarAttributeType.S)
					.build())
				.keySchema(KeySchemaElement.builder().attributeName(LockItem.KEY).keyType(KeyType.HASH).build())
				.billingMode(BillingMode.PAY_PER_REQUEST)
				.build());
		}
		catch (ResourceInUseException ex) {
			// Exists already, or another instance is creating it right now: wait for it below.
		}
		catch (SdkException ex) {
			throw failed("creating table '" + this.name + "'", null, ex);
		}
		awaitActive();
	}

	/**
	 * Polls every {@code 200 ms} (the SDK's waiter waits 20 s between polls) until the table is active.
	 */
	private void awaitActive() {
		long deadline = System.nanoTime() + CREATION_BOUND.toNanos();
		while (true) {
			try {
				checkActive(Duration.ofSeconds(10));
				return;
			}
			catch (LockBackendException ex) {
				if (System.nanoTime() > deadline) {
					throw new LockBackendException("DynamoDB table '" + this.name + "' did not become active within "
							+ CREATION_BOUND + ": " + ex.getMessage(), ex);
				}
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new LockBackendException("Interrupted while waiting for DynamoDB table '" + this.name + "'", ex);
			}
		}
	}

	/** Describes the table within the timeout; fails unless it exists and is active. */
	void checkActive(Duration timeout) {
		TableStatus status;
		try {
			status = this.client
				.describeTable(DescribeTableRequest.builder()
					.tableName(this.name)
					.overrideConfiguration((config) -> config.apiCallTimeout(timeout))
					.build())
				.table()
				.tableStatus();
		}
		catch (SdkException ex) {
			throw failed("describing table '" + this.name + "'", null, ex);
		}
		if (status != TableStatus.ACTIVE && status != TableStatus.UPDATING) {
			throw new LockBackendException("DynamoDB lock table '" + this.name + "' is " + status + ", not ACTIVE");
		}
	}

	/** The error for a failed operation; a missing table gets the instructions to create it. */
	LockBackendException failed(String operation, @Nullable String lockId, SdkException ex) {
		String what = "DynamoDB " + operation + ((lockId != null) ? " on lock '" + lockId + "'" : "");
		if (ex instanceof ResourceNotFoundException) {
			return new LockBackendException(what + " failed: table '" + this.name + "' does not exist. Set "
					+ "distlock.dynamodb.create-table=true to create it at startup, or create it with partition key '"
					+ LockItem.KEY + "' of type S, e.g. aws dynamodb create-table --table-name " + this.name
					+ " --attribute-definitions AttributeName=" + LockItem.KEY + ",AttributeType=S --key-schema AttributeName="
					+ LockItem.KEY + ",KeyType=HASH --billing-mode PAY_PER_REQUEST (the table name is "
					+ TABLE_NAME_PROPERTY + ")", ex);
		}
		return new LockBackendException(what + " failed: " + ex.getMessage(), ex);
	}

}
