package dev.distlock.it.worker;

import java.net.URI;

import javax.sql.DataSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.distlock.LockTemplate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One worker process of the fault suite. The lock provider and its backend come from ordinary
 * {@code distlock.*} / {@code spring.*} properties on the command line, exactly as an application
 * configures the starter; {@code worker.*} says what to contend for and where the ledger is.
 */
@SpringBootApplication
@EnableConfigurationProperties(WorkerSettings.class)
public class FaultWorkerApplication {

	public static void main(String[] args) {
		SpringApplication.run(FaultWorkerApplication.class, args);
	}

	@Bean
	WorkerEvents workerEvents() {
		return new WorkerEvents(System.out);
	}

	@Bean
	FencedLedger fencedLedger(WorkerSettings settings) {
		// Not a DataSource bean: the JDBC providers use the application's DataSource (the faulted
		// backend); the ledger lives elsewhere.
		DataSource ledger = DataSourceBuilder.create()
			.url(settings.ledger().url())
			.username(settings.ledger().username())
			.password(settings.ledger().password())
			.build();
		return new FencedLedger(ledger, settings.name());
	}

	@Bean
	ContendingWorker contendingWorker(LockTemplate locks, FencedLedger ledger, WorkerSettings settings,
			WorkerEvents events) {
		return new ContendingWorker(locks, ledger, settings, events);
	}

	/** The dynamodb provider takes the application's client: one for the suite's dynalite. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty("worker.dynamodb-endpoint")
	static class DynamoDbClientConfiguration {

		@Bean
		DynamoDbClient dynamoDbClient(Environment environment) {
			return DynamoDbClient.builder()
				.endpointOverride(URI.create(environment.getRequiredProperty("worker.dynamodb-endpoint")))
				.region(Region.US_EAST_1)
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("it", "it")))
				.build();
		}

	}

}
