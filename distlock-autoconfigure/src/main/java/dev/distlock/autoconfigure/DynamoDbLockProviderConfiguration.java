package dev.distlock.autoconfigure;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.LockBackendException;
import dev.distlock.dynamodb.DynamoDbLockProvider;
import dev.distlock.spi.LockProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The dynamodb provider on the application's {@link DynamoDbClient} bean (the application keeps
 * owning it), on the table {@code distlock.dynamodb.table-name}; with
 * {@code distlock.dynamodb.create-table=true} the table is created at startup when missing. The
 * application's {@link Clock} bean, if any, only stamps items for operators: expiry never reads it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = { "software.amazon.awssdk.services.dynamodb.DynamoDbClient",
		"dev.distlock.dynamodb.DynamoDbLockProvider" })
@ConditionalOnLockBackend(LockBackend.DYNAMODB)
class DynamoDbLockProviderConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(DynamoDbLockProviderConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(LockProvider.class)
	DynamoDbLockProvider distlockLockProvider(ObjectProvider<DynamoDbClient> client, ObjectProvider<Clock> clock,
			DistlockProperties properties) {
		DistlockProperties.DynamoDb dynamodb = properties.getDynamodb();
		// The condition made sure there is exactly one candidate client.
		DynamoDbLockProvider provider = new DynamoDbLockProvider(client.getObject(), dynamodb.getTableName(),
				clock.getIfUnique(Clock::systemUTC));
		if (dynamodb.isCreateTable()) {
			try {
				provider.createTableIfMissing();
			}
			catch (LockBackendException ex) {
				// The application starts while DynamoDB is down; locking fails closed until it answers.
				logger.warn("Could not create the DynamoDB lock table '{}' at startup (distlock.dynamodb.create-table=true): {}",
						dynamodb.getTableName(), ex.getMessage());
			}
		}
		return provider;
	}

}
