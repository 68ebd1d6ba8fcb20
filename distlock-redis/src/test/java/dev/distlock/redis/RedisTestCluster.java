package dev.distlock.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;

import dev.distlock.test.server.RedisServerProcess;

/**
 * A 3-master Redis Cluster on loopback ports 17001–17003, started by the test itself and without
 * persistence: three {@code redis-server --cluster-enabled yes} processes joined by
 * {@code redis-cli --cluster create}.
 */
final class RedisTestCluster implements AutoCloseable {

	static final List<Integer> PORTS = List.of(17001, 17002, 17003);

	private final Path directory;

	private final List<RedisServerProcess> servers = new ArrayList<>();

	private RedisTestCluster() {
		try {
			this.directory = Files.createTempDirectory("distlock-redis-cluster-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static RedisTestCluster start() {
		for (int port : PORTS) {
			requireFree(port);
		}
		RedisTestCluster cluster = new RedisTestCluster();
		try {
			cluster.startNodes();
			cluster.createCluster();
			cluster.awaitStateOk();
			return cluster;
		}
		catch (RuntimeException | Error ex) {
			cluster.close();
			throw ex;
		}
	}

	/** {@code host:port} of every master, for {@code RedisClusterConfiguration}. */
	List<String> nodes() {
		return PORTS.stream().map((port) -> "127.0.0.1:" + port).toList();
	}

	private void startNodes() {
		for (int port : PORTS) {
			this.servers.add(RedisServerProcess.start(port, this.directory, "--cluster-enabled", "yes",
					"--cluster-config-file", this.directory.resolve("nodes-" + port + ".conf").toString()));
		}
	}

	private void createCluster() {
		List<String> arguments = new ArrayList<>(List.of("--cluster", "create"));
		arguments.addAll(nodes());
		arguments.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		String output = this.servers.get(0).cli(arguments.toArray(String[]::new));
		if (!output.contains("All 16384 slots covered")) {
			throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
		}
	}

	private void awaitStateOk() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			if (this.servers.stream().allMatch((server) -> server.cli("cluster", "info").contains("cluster_state:ok"))) {
				return;
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		throw new IllegalStateException("Redis Cluster on " + nodes() + " did not reach cluster_state:ok");
	}

	private static void requireFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Port " + port + " is in use; the Redis Cluster test needs ports " + PORTS
					+ " (is a cluster from an interrupted run still up?)", ex);
		}
	}

	@Override
	public void close() {
		this.servers.forEach(RedisServerProcess::close);
		this.servers.clear();
		try {
			FileSystemUtils.deleteRecursively(this.directory);
		}
		catch (IOException ex) {
			// A temporary directory left behind is harmless.
		}
	}

}
