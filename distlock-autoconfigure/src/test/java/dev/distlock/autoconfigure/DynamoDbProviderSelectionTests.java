package dev.distlock.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.distlock.LockBackendException;
import dev.distlock.LockConfigurationException;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.autoconfigure.scheduling.DynamoDbTestClient;
import dev.distlock.spi.LockProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@code distlock.provider} chooses the dynamodb provider: {@code auto} with the application's
 * {@link DynamoDbClient} bean, against dynalite.
 */
class DynamoDbProviderSelectionTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "org.apache.curator"))
		.withBean(DynamoDbClient.class, DynamoDbTestClient::create);

	private static String table() {
		return "distlock_select_" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void autoPicksDynamoDbForADynamoDbClientBeanAndCreatesTheTableWhenAsked() {
		String table = table();
		this.runner.withPropertyValues("distlock.dynamodb.table-name=" + table, "distlock.dynamodb.create-table=true")
			.run((context) -> {
				LockProvider provider = context.getBean(LockProvider.class);
				assertThat(provider.id()).isEqualTo("dynamodb");
				try (LockHandle handle = context.getBean(LockTemplate.class)
					.acquire(LockRequest.of("selection").leaseTime(Duration.ofSeconds(10)))) {
					assertThat(handle.fencingToken()).isPositive();
				}
				context.getBean(DynamoDbClient.class).deleteTable((request) -> request.tableName(table));
			});
	}

	@Test
	void aMissingTableFailsTheFirstLockWithHowToCreateIt() {
		String table = table();
		this.runner.withPropertyValues("distlock.provider=dynamodb", "distlock.dynamodb.table-name=" + table)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThatExceptionOfType(LockBackendException.class)
					.isThrownBy(() -> context.getBean(LockTemplate.class).acquire(LockRequest.of("no-table")))
					.withMessageContaining("table '" + table + "' does not exist")
					.withMessageContaining("distlock.dynamodb.create-table=true")
					.withMessageContaining("AttributeName=lock_key,KeyType=HASH");
			});
	}

	@Test
	void anInvalidTableNameFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("distlock.dynamodb.table-name=no spaces/allowed").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(LockConfigurationException.class)
				.hasMessageContaining("distlock.dynamodb.table-name 'no spaces/allowed'");
		});
	}

	@Test
	void startsWhileDynamoDbIsDownAndFailsClosed() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "org.apache.curator"))
			.withBean(DynamoDbClient.class, () -> DynamoDbTestClient.create("http://127.0.0.1:1"))
			.withPropertyValues("distlock.dynamodb.create-table=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThatExceptionOfType(LockBackendException.class)
					.isThrownBy(() -> context.getBean(LockTemplate.class).acquire(LockRequest.of("down")));
			});
	}

	@Test
	void dynamoDbCannotBeChosenWithoutTheSdk() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "org.apache.curator",
					"software.amazon.awssdk"))
			.withPropertyValues("distlock.provider=dynamodb")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("distlock.provider=dynamodb cannot be used")
					.hasMessageContaining("software.amazon.awssdk:dynamodb");
			});
	}

}
