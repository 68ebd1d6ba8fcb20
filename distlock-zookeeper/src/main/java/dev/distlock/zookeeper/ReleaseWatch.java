package dev.distlock.zookeeper;

import java.util.function.Consumer;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.WatcherRemoveCuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.spi.ReleaseSubscription;

/**
 * Wakes a waiter when a lock node is deleted, through a ZooKeeper watch instead of polling.
 *
 * <p>An {@code exists} watch fires once, so it is set again after every event: on the node's
 * deletion (the listener runs) as on its creation by the next holder (whose deletion is then
 * watched). When the node is already gone as the watch is set, the listener runs at once. Watches
 * do not survive a session expiry, so the provider calls {@link #reconnected()} on every reconnect.
 * Watches are set in the background, so that ZooKeeper's event thread never blocks. Closing removes
 * the watch locally through a {@link WatcherRemoveCuratorFramework}.
 */
final class ReleaseWatch implements ReleaseSubscription, Watcher {

	private static final Logger logger = LoggerFactory.getLogger(ReleaseWatch.class);

	private final WatcherRemoveCuratorFramework client;

	private final String lockId;

	private final String path;

	private final Runnable listener;

	private final Consumer<ReleaseWatch> onClose;

	private volatile boolean closed;

	ReleaseWatch(CuratorFramework client, String lockId, String path, Runnable listener,
			Consumer<ReleaseWatch> onClose) {
		this.client = client.newWatcherRemoveCuratorFramework();
		this.lockId = lockId;
		this.path = path;
		this.listener = listener;
		this.onClose = onClose;
	}

	/** Sets the watch on the lock node (again). */
	void arm() {
		if (this.closed) {
			return;
		}
		try {
			this.client.checkExists().usingWatcher(this).inBackground(this::armed).forPath(this.path);
		}
		catch (Exception ex) {
			logger.debug("Could not watch lock '{}'; its waiter polls instead: {}", this.lockId, ex.toString());
		}
	}

	private void armed(CuratorFramework client, CuratorEvent event) {
		if (this.closed) {
			return;
		}
		KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
		if (code == KeeperException.Code.NONODE) {
			// Free right now (the watch now waits for the next holder's create).
			notifyListener();
		}
		else if (code != KeeperException.Code.OK) {
			logger.debug("Could not watch lock '{}' ({}); its waiter polls until the connection is back", this.lockId,
					code);
		}
	}

	@Override
	public void process(WatchedEvent event) {
		if (this.closed || event.getType() == Event.EventType.None) {
			// Connection events: ZooKeeper re-registers watches on reconnect; expiry is handled by reconnected().
			return;
		}
		if (event.getType() == Event.EventType.NodeDeleted) {
			notifyListener();
		}
		arm();
	}

	/** The client reconnected, maybe with a new session that lost the watch; the lock may be free. */
	void reconnected() {
		if (!this.closed) {
			notifyListener();
			arm();
		}
	}

	private void notifyListener() {
		try {
			this.listener.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Release listener for lock '{}' failed", this.lockId, ex);
		}
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.onClose.accept(this);
		this.client.removeWatchers();
	}

}
