package dev.distlock.zookeeper;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.LockBackendException;
import dev.distlock.spi.Lease;

/**
 * Renewal on ZooKeeper: nothing to push forward (the session keeps the nodes), so a renewal confirms,
 * for any number of leases in one round trip, that each lease's node is still the one created for it
 * and is owned by this client's current session. While the connection is suspended it answers neither
 * way, and after a session loss every lease is lost.
 */
final class SessionLeaseConfirmation {

	private static final Logger logger = LoggerFactory.getLogger(SessionLeaseConfirmation.class);

	private final CuratorFramework client;

	private final EnsembleConnection connection;

	private final ConnectionStateMonitor monitor;

	private final LockNodeParent parent;

	private final LockNodeReader nodes;

	SessionLeaseConfirmation(CuratorFramework client, EnsembleConnection connection, ConnectionStateMonitor monitor,
			LockNodeParent parent, LockNodeReader nodes) {
		this.client = client;
		this.connection = connection;
		this.monitor = monitor;
		this.parent = parent;
		this.nodes = nodes;
	}

	/**
	 * @return the leases still held
	 * @throws LockBackendException if the connection is suspended or the read fails: held or not is unknown
	 */
	Set<Lease> confirm(Collection<Lease> leases) {
		Set<Lease> held = new LinkedHashSet<>();
		if (leases.isEmpty()) {
			return held;
		}
		ConnectionState state = this.monitor.state();
		if (state == ConnectionState.LOST) {
			logger.debug("ZooKeeper session lost: {} lease(s) are lost", leases.size());
			return held;
		}
		String action = "confirm " + leases.size() + " lease(s)";
		this.connection.requireStarted(action);
		if (state == ConnectionState.SUSPENDED || state == ConnectionState.READ_ONLY
				|| !this.client.getZookeeperClient().isConnected()) {
			throw new LockBackendException("Cannot " + action + ": the connection to ZooKeeper at "
					+ this.connection.ensemble() + " is suspended; the locks may or may not still be held");
		}
		List<Lease> toConfirm = List.copyOf(leases);
		try {
			ZooKeeper zooKeeper = this.nodes.zooKeeper();
			long session = zooKeeper.getSessionId();
			List<@Nullable LockNode> found = this.nodes.read(zooKeeper,
					toConfirm.stream().map((lease) -> this.parent.childFor(lease.lockId())).toList());
			for (int i = 0; i < toConfirm.size(); i++) {
				Lease lease = toConfirm.get(i);
				LockNode node = found.get(i);
				if (node != null && node.isGrantOf(lease) && node.ephemeralOwner() == session) {
					held.add(lease);
				}
			}
			return held;
		}
		catch (Exception ex) {
			throw this.connection.failure(action, ex);
		}
	}

}
