package dev.distlock.zookeeper;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.PathUtils;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;

/**
 * The base path whose direct children are the lock nodes: validated once, created (with its parents,
 * as containers) on first use and again if someone deletes it.
 */
final class LockNodeParent {

	private static final byte[] NO_DATA = new byte[0];

	private final CuratorFramework client;

	private final String path;

	private volatile boolean created;

	LockNodeParent(CuratorFramework client, String path) {
		PathUtils.validatePath(path);
		if (path.equals("/")) {
			throw new IllegalArgumentException("The ZooKeeper base path for locks must not be the root node");
		}
		this.client = client;
		this.path = path;
	}

	String path() {
		return this.path;
	}

	/** The node of a lock id: a child named by {@link LockNodeName}. */
	String childFor(String lockId) {
		return ZKPaths.makePath(this.path, LockNodeName.of(lockId));
	}

	/** The node of a child name as listed by {@code getChildren}. */
	String child(String name) {
		return ZKPaths.makePath(this.path, name);
	}

	/** Creates the base path unless this provider already did. */
	void ensureCreated(String action, EnsembleConnection connection) {
		if (this.created) {
			return;
		}
		try {
			this.client.create().creatingParentContainersIfNeeded().forPath(this.path, NO_DATA);
		}
		catch (KeeperException.NodeExistsException ex) {
			// Created by another instance, or earlier by this one.
		}
		catch (Exception ex) {
			throw connection.failure(action + " (creating " + this.path + ")", ex);
		}
		this.created = true;
	}

	/** Makes the next {@link #ensureCreated} check again: the base path was found missing. */
	void mayBeGone() {
		this.created = false;
	}

}
