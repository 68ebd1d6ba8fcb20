package dev.distlock.zookeeper;

import java.util.ArrayList;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;

/**
 * Reads lock nodes in batches, one round trip per {@value #MAX_READS_PER_ROUND_TRIP} nodes, with a
 * read-only {@code multi} of {@code getData} operations (ZooKeeper 3.6+).
 *
 * <p>Curator's fluent API has no read-only multi (its transactions only {@code check} versions,
 * and lock nodes are never rewritten, so a version says nothing about who holds them), so this goes
 * to the client's current {@link ZooKeeper} handle directly. That also makes every read one attempt,
 * as the provider SPI expects, instead of a trip through the caller's retry policy; paths get the
 * client's namespace as Curator would add it.
 */
final class LockNodeReader {

	/** Keeps each response well under ZooKeeper's default 1 MB {@code jute.maxbuffer}. */
	static final int MAX_READS_PER_ROUND_TRIP = 200;

	private final CuratorFramework client;

	LockNodeReader(CuratorFramework client) {
		this.client = client;
	}

	/** The client's current ZooKeeper handle (a new one after a session expiry). */
	ZooKeeper zooKeeper() throws Exception {
		return this.client.getZookeeperClient().getZooKeeper();
	}

	/** The path as the server knows it: with the client's namespace. */
	String serverPath(String path) {
		return ZKPaths.fixForNamespace(this.client.getNamespace(), path);
	}

	/**
	 * Reads the given nodes on one handle.
	 * @return per path, the lock node, or {@code null} if there is none (or it holds foreign data)
	 */
	List<@Nullable LockNode> read(ZooKeeper zooKeeper, List<String> paths) throws KeeperException, InterruptedException {
		List<@Nullable LockNode> nodes = new ArrayList<>(paths.size());
		for (int from = 0; from < paths.size(); from += MAX_READS_PER_ROUND_TRIP) {
			List<String> batch = paths.subList(from, Math.min(paths.size(), from + MAX_READS_PER_ROUND_TRIP));
			List<Op> reads = batch.stream().map((path) -> Op.getData(serverPath(path))).toList();
			List<OpResult> results = zooKeeper.multi(reads);
			for (int i = 0; i < results.size(); i++) {
				nodes.add(toNode(results.get(i), batch.get(i)));
			}
		}
		return nodes;
	}

	private static @Nullable LockNode toNode(OpResult result, String path) throws KeeperException {
		if (result instanceof OpResult.GetDataResult found) {
			return LockNodeData.parse(found.getData()).map((data) -> new LockNode(data, found.getStat())).orElse(null);
		}
		if (result instanceof OpResult.ErrorResult error) {
			KeeperException.Code code = KeeperException.Code.get(error.getErr());
			if (code == KeeperException.Code.NONODE) {
				return null;
			}
			throw KeeperException.create(code, path);
		}
		throw new IllegalStateException("Unexpected result " + result + " reading " + path);
	}

}
