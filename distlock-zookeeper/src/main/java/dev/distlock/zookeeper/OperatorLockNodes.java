package dev.distlock.zookeeper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;

import dev.distlock.spi.BackendLock;

/**
 * What operators do with the lock nodes of every instance: list them (the children of the base path
 * and their data, read in one round trip), inspect one, and force-release one whoever holds it.
 */
final class OperatorLockNodes {

	private final EnsembleConnection connection;

	private final LockNodeParent parent;

	private final LockNodeReader nodes;

	OperatorLockNodes(EnsembleConnection connection, LockNodeParent parent, LockNodeReader nodes) {
		this.connection = connection;
		this.parent = parent;
		this.nodes = nodes;
	}

	List<BackendLock> list() {
		String action = "list locks under " + this.parent.path();
		this.connection.awaitConnection(action);
		try {
			ZooKeeper zooKeeper = this.nodes.zooKeeper();
			List<String> children;
			try {
				children = zooKeeper.getChildren(this.nodes.serverPath(this.parent.path()), false);
			}
			catch (KeeperException.NoNodeException ex) {
				return List.of();
			}
			List<@Nullable LockNode> found = this.nodes.read(zooKeeper, children.stream().map(this.parent::child).toList());
			List<BackendLock> locks = new ArrayList<>();
			for (int i = 0; i < children.size(); i++) {
				LockNode node = found.get(i);
				// Skip nodes that are not lock nodes (another application's, or a foreign tool's).
				if (node != null && LockNodeName.of(node.data().lockId()).equals(children.get(i))) {
					locks.add(node.toBackendLock());
				}
			}
			locks.sort(Comparator.comparing(BackendLock::lockId));
			return locks;
		}
		catch (Exception ex) {
			throw this.connection.failure(action, ex);
		}
	}

	Optional<BackendLock> inspect(String lockId) {
		String action = "inspect lock '" + lockId + "'";
		this.connection.awaitConnection(action);
		try {
			LockNode node = this.nodes.read(this.nodes.zooKeeper(), List.of(this.parent.childFor(lockId))).get(0);
			return Optional.ofNullable(node)
				.filter((found) -> found.data().lockId().equals(lockId))
				.map(LockNode::toBackendLock);
		}
		catch (Exception ex) {
			throw this.connection.failure(action, ex);
		}
	}

	boolean forceRelease(String lockId) {
		String action = "force-release lock '" + lockId + "'";
		this.connection.awaitConnection(action);
		try {
			// Any version: whoever holds it. The next create gets a new, higher zxid.
			this.nodes.zooKeeper().delete(this.nodes.serverPath(this.parent.childFor(lockId)), -1);
			return true;
		}
		catch (KeeperException.NoNodeException ex) {
			return false;
		}
		catch (Exception ex) {
			throw this.connection.failure(action, ex);
		}
	}

}
