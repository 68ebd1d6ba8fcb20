package dev.distlock.sample;

import java.net.URI;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The {@code dynamodb} profile's client, as an application (or Spring Cloud AWS) would define it:
 * here on a local DynamoDB API server ({@code sample.dynamodb.endpoint}, dynalite by default), which
 * takes any credentials. On AWS, build the client with the default credentials and region instead.
 */
@Configuration(proxyBeanMethods = false)
@Profile("dynamodb")
class DynamoDbClientConfiguration {

	@Bean(destroyMethod = "close")
	DynamoDbClient dynamoDbClient(@Value("${sample.dynamodb.endpoint}") String endpoint) {
		return DynamoDbClient.builder()
			.endpointOverride(URI.create(endpoint))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
			.build();
	}

}
