package dev.distlock.dynamodb;

import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The tests' fencing-aware resource: an item per resource in its own table that accepts a write only
 * with a token not lower than the highest it accepted (one conditional write, as a user would).
 */
final class TokenFence {

	private final DynamoDbClient client;

	private final String table;

	TokenFence(DynamoDbClient client, String table) {
		this.client = client;
		this.table = table;
	}

	/** @return {@code false} if a higher token wrote before */
	boolean write(String resource, long token, String writer) {
		try {
			this.client.updateItem((request) -> request.tableName(this.table)
				.key(Map.of(LockItem.KEY, AttributeValue.fromS(resource)))
				.updateExpression("SET #token = :token, #writer = :writer")
				.conditionExpression("attribute_not_exists(#token) OR #token <= :token")
				.expressionAttributeNames(Map.of("#token", "token", "#writer", "writer"))
				.expressionAttributeValues(Map.of(":token", AttributeValue.fromN(Long.toString(token)), ":writer",
						AttributeValue.fromS(writer))));
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	String lastWriter(String resource) {
		return this.client
			.getItem((request) -> request.tableName(this.table)
				.key(Map.of(LockItem.KEY, AttributeValue.fromS(resource)))
				.consistentRead(true))
			.item()
			.get("writer")
			.s();
	}

}
