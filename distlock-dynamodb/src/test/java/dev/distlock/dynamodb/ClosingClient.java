package dev.distlock.dynamodb;

import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.LockProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A test's provider that closes its own client with it (an application's client is the application's). */
final class ClosingClient extends ForwardingLockProvider {

	private final DynamoDbClient client;

	ClosingClient(LockProvider provider, DynamoDbClient client) {
		super(provider);
		this.client = client;
	}

	@Override
	public void close() {
		super.close();
		this.client.close();
	}

}
