package dev.distlock.benchmarks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * The ZooKeeper peer: Curator's {@code InterProcessMutex} (sequential ephemeral node, a watch on the
 * predecessor), one per key and instance, blocking acquire. What a Curator user writes by hand.
 */
final class CuratorMutexFloor implements LockUnderTest {

	private final CuratorFramework client;

	private final ConcurrentMap<String, InterProcessMutex> mutexes = new ConcurrentHashMap<>();

	CuratorMutexFloor(String connectString) {
		this.client = CuratorFrameworkFactory.newClient(connectString, new ExponentialBackoffRetry(100, 3));
		this.client.start();
	}

	@Override
	public long runLocked(String key, Runnable section) {
		InterProcessMutex mutex = this.mutexes.computeIfAbsent(key,
				(k) -> new InterProcessMutex(this.client, "/curator-bench/" + Integer.toHexString(k.hashCode())));
		long start = System.nanoTime();
		try {
			mutex.acquire();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Curator acquire failed", ex);
		}
		long waited = System.nanoTime() - start;
		try {
			section.run();
		}
		finally {
			try {
				mutex.release();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Curator release failed", ex);
			}
		}
		return waited;
	}

	@Override
	public void close() {
		this.client.close();
	}

}
