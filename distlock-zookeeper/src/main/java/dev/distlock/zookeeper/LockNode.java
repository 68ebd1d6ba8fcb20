package dev.distlock.zookeeper;

import org.apache.zookeeper.data.Stat;

import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;

/**
 * A lock node as read from ZooKeeper.
 *
 * @param data the grant it records
 * @param czxid the zxid of the create that made it: the grant's fencing token
 * @param ephemeralOwner the id of the session that holds it
 * @param version its data version, for conditional deletes
 */
record LockNode(LockNodeData data, long czxid, long ephemeralOwner, int version) {

	LockNode(LockNodeData data, Stat stat) {
		this(data, stat.getCzxid(), stat.getEphemeralOwner(), stat.getVersion());
	}

	/**
	 * Whether this node is the one created for the lease: same create (czxid), same owner token. The
	 * czxid alone tells one incarnation of a node from every later one.
	 */
	boolean isGrantOf(Lease lease) {
		return this.czxid == lease.fencingToken() && this.data.owner().equals(lease.owner())
				&& this.data.lockId().equals(lease.lockId());
	}

	BackendLock toBackendLock() {
		// Session-scoped: no expiry time, the lock lives as long as its holder's session.
		return new BackendLock(this.data.lockId(), this.data.owner(), this.czxid, null);
	}

}
