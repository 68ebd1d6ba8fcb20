package dev.distlock.zookeeper;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.zookeeper.KeeperException;

import dev.distlock.LockBackendException;

/**
 * The provider's view of its Curator client: waits a bounded time for a connection before an
 * operation and turns every failure into a {@link LockBackendException} naming the action and the
 * ensemble, so that each call fails closed the same way.
 */
final class EnsembleConnection {

	private final CuratorFramework client;

	private final String ensemble;

	private final Duration connectionTimeout;

	private final BooleanSupplier providerClosed;

	EnsembleConnection(CuratorFramework client, Duration connectionTimeout, BooleanSupplier providerClosed) {
		if (connectionTimeout.isZero() || connectionTimeout.isNegative()) {
			throw new IllegalArgumentException("The ZooKeeper connection timeout must be positive, was " + connectionTimeout);
		}
		this.client = client;
		this.connectionTimeout = connectionTimeout;
		this.providerClosed = providerClosed;
		String connectString = client.getZookeeperClient().getCurrentConnectionString();
		this.ensemble = (connectString != null) ? connectString : "ZooKeeper";
	}

	/** The connect string, for messages. */
	String ensemble() {
		return this.ensemble;
	}

	/** Whether the client is started and connected to the ensemble right now. */
	boolean isConnected() {
		return this.client.getState() == CuratorFrameworkState.STARTED && this.client.getZookeeperClient().isConnected();
	}

	/** Fails unless the Curator client is started (a closed client never reconnects). */
	void requireStarted(String action) {
		CuratorFrameworkState state = this.client.getState();
		if (state != CuratorFrameworkState.STARTED) {
			throw new LockBackendException("Cannot " + action + ": the Curator client for " + this.ensemble + " is "
					+ state.name().toLowerCase()
					+ (this.providerClosed.getAsBoolean() ? " (the lock provider is closed)" : ""));
		}
	}

	/** Fails closed if the ensemble is not reachable within the connection timeout. */
	void awaitConnection(String action) {
		requireStarted(action);
		if (this.client.getZookeeperClient().isConnected()) {
			return;
		}
		boolean connected;
		try {
			connected = this.client.blockUntilConnected(Math.toIntExact(this.connectionTimeout.toMillis()),
					TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LockBackendException("Interrupted while waiting for ZooKeeper at " + this.ensemble + " to "
					+ action, ex);
		}
		if (!connected) {
			throw new LockBackendException("Cannot " + action + ": no connection to ZooKeeper at " + this.ensemble
					+ " within " + this.connectionTimeout + " (servers down, or no quorum)");
		}
	}

	/** The exception a failed call throws; keeps the interrupt flag of an interrupted one. */
	LockBackendException failure(String action, Exception ex) {
		if (ex instanceof LockBackendException backend) {
			return backend;
		}
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
		}
		String reason = (ex instanceof KeeperException keeper) ? keeper.code().name() : ex.toString();
		return new LockBackendException("Could not " + action + " on ZooKeeper at " + this.ensemble + ": " + reason, ex);
	}

	/** Whether a write may or may not have been applied: the connection failed before the answer came. */
	static boolean outcomeUnknown(Exception ex) {
		if (ex instanceof KeeperException keeper) {
			KeeperException.Code code = keeper.code();
			return code == KeeperException.Code.CONNECTIONLOSS || code == KeeperException.Code.OPERATIONTIMEOUT
					|| code == KeeperException.Code.SESSIONMOVED || code == KeeperException.Code.REQUESTTIMEOUT;
		}
		return true;
	}

}
