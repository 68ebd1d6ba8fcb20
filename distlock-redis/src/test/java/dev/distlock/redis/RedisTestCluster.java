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

import dev.distlock.test.server.LoopbackPort;
import dev.distlock.test.server.RedisServerProcess;

/**
 * A 3-master Redis Cluster on loopback, started by the test itself and without persistence:
 * {@code redis-server --cluster-enabled yes} processes joined by {@code redis-cli --cluster create}.
 * {@link #start()} runs masters only, on ports 17001–17003; {@link #startWithReplicas()} adds one
 * replica per master on free ports, with a short node timeout so a killed master fails over in seconds.
 */
final class RedisTestCluster implements AutoCloseable {

	static final List<Integer> PORTS = List.of(17001, 17002, 17003);

	/** How long a silent node counts as reachable; a replica's failover starts after it. */
	static final int NODE_TIMEOUT_MILLIS = 2000;

	private final List<Integer> ports;

	private final int replicas;

	private final Path directory;

	private final List<RedisServerProcess> servers = new ArrayList<>();

	private RedisTestCluster(List<Integer> ports, int replicas) {
		this.ports = ports;
		this.replicas = replicas;
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
		return started(new RedisTestCluster(PORTS, 0));
	}

	/** 3 masters and 3 replicas on free loopback ports. */
	static RedisTestCluster startWithReplicas() {
		List<Integer> ports = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			ports.add(LoopbackPort.free());
		}
		return started(new RedisTestCluster(ports, 1));
	}

	private static RedisTestCluster started(RedisTestCluster cluster) {
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

	/** {@code host:port} of every node, for {@code RedisClusterConfiguration}. */
	List<String> nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).toList();
	}

	/** The server that is master of the hash slot now, as a live node reports it. */
	RedisServerProcess masterOf(int slot) {
		for (String line : anyLiveServer().cli("CLUSTER", "NODES").split("\n")) {
			String[] fields = line.trim().split(" ");
			if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
				continue;
			}
			for (int i = 8; i < fields.length; i++) {
				String[] range = fields[i].split("-");
				int from = Integer.parseInt(range[0]);
				int to = Integer.parseInt(range[range.length - 1]);
				if (slot >= from && slot <= to) {
					return server(fields[1]);
				}
			}
		}
		throw new IllegalStateException("No live master owns slot " + slot);
	}

	/**
	 * The replica of a master, as the master's replication link reports it: that is the node that has
	 * the master's data and is promoted when it fails (gossip may lag behind it).
	 */
	RedisServerProcess replicaOf(RedisServerProcess master) {
		for (String line : master.cli("INFO", "replication").split("\n")) {
			int port = line.indexOf(",port=");
			if (line.startsWith("slave0:") && port >= 0) {
				return server("127.0.0.1:" + line.substring(port + 6).split(",")[0].trim());
			}
		}
		throw new IllegalStateException("Master on port " + master.port() + " has no replica");
	}

	private RedisServerProcess server(String address) {
		int port = Integer.parseInt(address.substring(address.indexOf(':') + 1).split("[@,]")[0]);
		return this.servers.stream().filter((server) -> server.port() == port).findFirst().orElseThrow();
	}

	private RedisServerProcess anyLiveServer() {
		for (RedisServerProcess server : this.servers) {
			try {
				if (server.cli("PING").contains("PONG")) {
					return server;
				}
			}
			catch (RuntimeException ex) {
				// Killed by the test: ask another.
			}
		}
		throw new IllegalStateException("No Redis Cluster node answers");
	}

	private void startNodes() {
		for (int port : this.ports) {
			List<String> arguments = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file",
					this.directory.resolve("nodes-" + port + ".conf").toString()));
			if (this.replicas > 0) {
				// Fail over in seconds, and the replica of a killed master takes over however briefly it
				// was cut off from it. Masters alone keep the default timeout: a slow machine must not
				// mark one failed when nothing could replace it.
				arguments.addAll(List.of("--cluster-node-timeout", String.valueOf(NODE_TIMEOUT_MILLIS),
						"--cluster-replica-validity-factor", "0"));
			}
			this.servers.add(RedisServerProcess.start(port, this.directory, arguments.toArray(String[]::new)));
		}
	}

	private void createCluster() {
		List<String> arguments = new ArrayList<>(List.of("--cluster", "create"));
		arguments.addAll(nodes());
		arguments.addAll(List.of("--cluster-replicas", String.valueOf(this.replicas), "--cluster-yes"));
		String output = this.servers.get(0).cli(arguments.toArray(String[]::new));
		if (!output.contains("All 16384 slots covered")) {
			throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
		}
	}

	private void awaitStateOk() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			if (this.servers.stream().allMatch((server) -> server.cli("cluster", "info").contains("cluster_state:ok"))
					&& replicasInSync()) {
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

	/** Every master has its replicas connected (replicas attach after the slots are covered). */
	private boolean replicasInSync() {
		if (this.replicas == 0) {
			return true;
		}
		int masters = this.ports.size() / (this.replicas + 1);
		long syncedMasters = this.servers.stream()
			.filter((server) -> server.cli("INFO", "replication").contains("connected_slaves:" + this.replicas))
			.count();
		// Gossip too: a node votes for and routes to a replica only once it knows it as one.
		return syncedMasters == masters
				&& this.servers.stream().allMatch((server) -> knownReplicas(server) == masters * this.replicas);
	}

	private static long knownReplicas(RedisServerProcess server) {
		return server.cli("CLUSTER", "NODES")
			.lines()
			.map((line) -> line.trim().split(" "))
			.filter((fields) -> fields.length > 3 && fields[2].contains("slave") && !fields[3].equals("-"))
			.count();
	}

	/** Every node agrees the cluster is whole again, e.g. after a failover. */
	boolean isStateOk() {
		return anyLiveServer().cli("CLUSTER", "INFO").contains("cluster_state:ok");
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
