/**
 * The DynamoDB lock provider: one item per lock, conditional writes on the AWS SDK for Java v2, and
 * expiry decided without comparing clocks of different machines (see {@link dev.distlock.dynamodb.DynamoDbLockProvider}).
 */
@NullMarked
package dev.distlock.dynamodb;

import org.jspecify.annotations.NullMarked;
