package dev.distlock.dynamodb;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The conditional writes on a lock item. Every write sets a new record version; only the granting
 * write adds to the fencing counter. Placeholders are used for every attribute name.
 */
final class LockWrites {

	/** Grant: the lock is free (no item, or no owner), or its record version is the one seen expired. */
	private static final String GRANT = "SET #id = :id, #owner = :owner, #version = :version, #lease = :lease, "
			+ "#written = :written ADD #token :one";

	private static final String FREE = "attribute_not_exists(#owner)";

	private static final String FREE_OR_EXPIRED = FREE + " OR #version = :expired";

	/** Extend: only the owner (owner tokens are unique per grant). */
	private static final String EXTEND = "SET #version = :version, #lease = :lease, #written = :written";

	private static final String OWNED = "#owner = :owner";

	/** Release keeps the item and its counter; only the owner goes. */
	private static final String RELEASE = "REMOVE #owner SET #version = :version, #written = :written";

	private static final String HELD = "attribute_exists(#owner)";

	private final String table;

	private final Clock wallClock;

	LockWrites(String table, Clock wallClock) {
		this.table = table;
		this.wallClock = wallClock;
	}

	static String newVersion() {
		return UUID.randomUUID().toString();
	}

	static long leaseMillis(Duration leaseTime) {
		long millis = leaseTime.toMillis();
		return leaseTime.minusMillis(millis).isZero() ? millis : millis + 1;
	}

	UpdateItemRequest grant(String lockId, String owner, String version, long leaseMillis,
			@Nullable String expiredVersion) {
		Map<String, AttributeValue> values = values(version);
		values.put(":id", AttributeValue.fromS(lockId));
		values.put(":owner", AttributeValue.fromS(owner));
		values.put(":lease", number(leaseMillis));
		values.put(":one", number(1));
		String condition = FREE;
		if (expiredVersion != null) {
			values.put(":expired", AttributeValue.fromS(expiredVersion));
			condition = FREE_OR_EXPIRED;
		}
		return request(lockId, GRANT, condition, values).toBuilder().returnValues(ReturnValue.UPDATED_NEW).build();
	}

	UpdateItemRequest extend(String lockId, String owner, String version, long leaseMillis) {
		Map<String, AttributeValue> values = values(version);
		values.put(":owner", AttributeValue.fromS(owner));
		values.put(":lease", number(leaseMillis));
		return request(lockId, EXTEND, OWNED, values);
	}

	/** The same as {@link #extend}, as one item of a {@code TransactWriteItems} call. */
	Update extendInTransaction(String lockId, String owner, String version, long leaseMillis) {
		UpdateItemRequest request = extend(lockId, owner, version, leaseMillis);
		return Update.builder()
			.tableName(request.tableName())
			.key(request.key())
			.updateExpression(request.updateExpression())
			.conditionExpression(request.conditionExpression())
			.expressionAttributeNames(request.expressionAttributeNames())
			.expressionAttributeValues(request.expressionAttributeValues())
			.build();
	}

	UpdateItemRequest release(String lockId, String owner) {
		Map<String, AttributeValue> values = values(newVersion());
		values.put(":owner", AttributeValue.fromS(owner));
		return request(lockId, RELEASE, OWNED, values);
	}

	UpdateItemRequest forceRelease(String lockId) {
		return request(lockId, RELEASE, HELD, values(newVersion()));
	}

	private Map<String, AttributeValue> values(String version) {
		Map<String, AttributeValue> values = new HashMap<>();
		values.put(":version", AttributeValue.fromS(version));
		values.put(":written", AttributeValue.fromS(this.wallClock.instant().toString()));
		return values;
	}

	private UpdateItemRequest request(String lockId, String update, String condition,
			Map<String, AttributeValue> values) {
		Map<String, String> names = new HashMap<>();
		LockItem.NAMES.forEach((placeholder, name) -> {
			if (update.contains(placeholder) || condition.contains(placeholder)) {
				names.put(placeholder, name);
			}
		});
		return UpdateItemRequest.builder()
			.tableName(this.table)
			.key(LockItem.key(lockId))
			.updateExpression(update)
			.conditionExpression(condition)
			.expressionAttributeNames(names)
			.expressionAttributeValues(values)
			.returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
			.build();
	}

	private static AttributeValue number(long value) {
		return AttributeValue.fromN(Long.toString(value));
	}

}
