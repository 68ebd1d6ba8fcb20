package dev.distlock.autoconfigure.scheduling;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.autoconfigure.DistlockAutoConfiguration;
import dev.distlock.dynamodb.DynamoDbLockProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Once per fire time on the {@code dynamodb} provider (dynalite), each instance with its own
 * {@link DynamoDbClient}. A slot claim is never taken over early: no instance ever sees a claim's
 * record version expire within the claim window, so ticks cannot run twice.
 */
class DynamoDbOncePerFireTimeTests extends OncePerFireTimeContractTests {

	private static final String TABLE = "distlock_slots_" + java.util.UUID.randomUUID().toString().substring(0, 8);

	private static DynamoDbClient setup;

	@BeforeAll
	static void createTable() {
		setup = DynamoDbTestClient.create();
		new DynamoDbLockProvider(setup, TABLE).createTableIfMissing();
	}

	@AfterAll
	static void dropTable() {
		setup.deleteTable((request) -> request.tableName(TABLE));
		setup.close();
	}

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { Client.class, Distlock.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "distlock.provider=dynamodb", "distlock.dynamodb.table-name=" + TABLE };
	}

	@Configuration(proxyBeanMethods = false)
	static class Client {

		@Bean(destroyMethod = "close")
		DynamoDbClient dynamoDbClient() {
			return DynamoDbTestClient.create();
		}

	}

	@ImportAutoConfiguration(DistlockAutoConfiguration.class)
	static class Distlock {

	}

}
