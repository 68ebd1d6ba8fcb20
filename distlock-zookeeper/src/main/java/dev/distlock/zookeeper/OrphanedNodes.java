package dev.distlock.zookeeper;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lock nodes this session may hold although no lease refers to them: a create whose outcome the
 * connection failure hid (the caller was told the acquisition failed), or a release that could not
 * reach the server. An ephemeral node lives as long as its session, so without this such a node would
 * block its lock until the application stops. Each is deleted, if it is still the node we created
 * (same data: owner tokens are unique per grant), once the connection is back.
 *
 * <p>The sweep uses asynchronous single attempts on the raw handle: it runs from Curator's
 * connection-state thread, which must not block. What fails stays for the next sweep.
 */
final class OrphanedNodes {

	private static final Logger logger = LoggerFactory.getLogger(OrphanedNodes.class);

	private final LockNodeReader nodes;

	private final Set<Orphan> pending = ConcurrentHashMap.newKeySet();

	OrphanedNodes(LockNodeReader nodes) {
		this.nodes = nodes;
	}

	void add(String path, LockNodeData data) {
		if (this.pending.add(new Orphan(path, data))) {
			logger.warn("Lock node for '{}' (owner {}) may be left behind by a connection failure; it is deleted "
					+ "once the connection is back", data.lockId(), data.owner());
		}
	}

	int size() {
		return this.pending.size();
	}

	/** Deletes the pending nodes that are still ours, in the background. */
	void sweep() {
		if (this.pending.isEmpty()) {
			return;
		}
		ZooKeeper zooKeeper;
		try {
			zooKeeper = this.nodes.zooKeeper();
		}
		catch (Exception ex) {
			return;
		}
		for (Orphan orphan : this.pending) {
			String serverPath = this.nodes.serverPath(orphan.path());
			AsyncCallback.DataCallback read = (rc, path, ctx, data, stat) -> deleteIfOurs(zooKeeper, orphan, serverPath,
					KeeperException.Code.get(rc), data, stat);
			zooKeeper.getData(serverPath, false, read, null);
		}
	}

	private void deleteIfOurs(ZooKeeper zooKeeper, Orphan orphan, String serverPath, KeeperException.Code code,
			byte[] data, Stat stat) {
		if (code == KeeperException.Code.NONODE) {
			forget(orphan, "it is gone");
		}
		else if (code == KeeperException.Code.OK && !Arrays.equals(data, orphan.data().toBytes())) {
			forget(orphan, "another grant holds the lock now");
		}
		else if (code == KeeperException.Code.OK) {
			zooKeeper.delete(serverPath, stat.getVersion(), (rc, path, ctx) -> {
				KeeperException.Code deleted = KeeperException.Code.get(rc);
				if (deleted == KeeperException.Code.OK || deleted == KeeperException.Code.NONODE
						|| deleted == KeeperException.Code.BADVERSION) {
					forget(orphan, "deleted");
				}
			}, null);
		}
	}

	private void forget(Orphan orphan, String outcome) {
		if (this.pending.remove(orphan)) {
			logger.debug("Left-behind lock node for '{}' (owner {}): {}", orphan.data().lockId(), orphan.data().owner(),
					outcome);
		}
	}

	private record Orphan(String path, LockNodeData data) {
	}

}
