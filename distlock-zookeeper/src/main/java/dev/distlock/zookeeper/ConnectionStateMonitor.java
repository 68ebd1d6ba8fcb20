package dev.distlock.zookeeper;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the Curator connection state, logs the transitions that put held locks at risk at WARN, and
 * runs the provider's housekeeping when the connection is back. See {@link ZooKeeperLockProvider} for
 * what each state means to a lock holder.
 */
final class ConnectionStateMonitor implements ConnectionStateListener {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionStateMonitor.class);

	private final String connectString;

	private final Runnable onConnected;

	private volatile @Nullable ConnectionState state;

	ConnectionStateMonitor(String connectString, boolean connectedNow, Runnable onConnected) {
		this.connectString = connectString;
		this.onConnected = onConnected;
		this.state = connectedNow ? ConnectionState.CONNECTED : null;
	}

	@Override
	public void stateChanged(CuratorFramework client, ConnectionState newState) {
		this.state = newState;
		switch (newState) {
			case SUSPENDED -> logger.warn("ZooKeeper connection to {} suspended: locks held by this instance are at "
					+ "risk and cannot be renewed; they are lost if the session expires before it reconnects",
					this.connectString);
			case LOST -> logger.warn("ZooKeeper session to {} lost: every lock this instance held is gone",
					this.connectString);
			case READ_ONLY -> logger.warn("ZooKeeper connection to {} is read-only: locks cannot be taken or renewed",
					this.connectString);
			case RECONNECTED -> logger.info("Reconnected to ZooKeeper at {}", this.connectString);
			case CONNECTED -> logger.debug("Connected to ZooKeeper at {}", this.connectString);
		}
		if (newState == ConnectionState.CONNECTED || newState == ConnectionState.RECONNECTED) {
			this.onConnected.run();
		}
	}

	/** The last state reported, or {@code null} before the first connection. */
	@Nullable ConnectionState state() {
		return this.state;
	}

	/** Whether held leases cannot be confirmed right now, or are known lost. */
	boolean leasesAtRisk() {
		ConnectionState current = this.state;
		return current == null || current == ConnectionState.SUSPENDED || current == ConnectionState.LOST
				|| current == ConnectionState.READ_ONLY;
	}

}
