package dev.distlock.it.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.distlock.test.server.LoopbackPort;

/**
 * The {@code zookeeper} provider on a private ensemble of three servers, each its own JVM
 * ({@code QuorumPeerMain}, the real server, from the test class path), so each can be killed and
 * frozen alone. A short tick lets sessions time out in 2 s.
 */
public final class ZooKeeperBackend implements Backend {

	private static final int SERVERS = 3;

	private final Path directory = ServerProcesses.temporaryDirectory("distlock-it-zk-");

	private final int[] clientPorts = IntStream.range(0, SERVERS).map((i) -> LoopbackPort.free()).toArray();

	private final Process[] servers = new Process[SERVERS];

	/**
	 * Starts an ensemble; a second time on new ports if a server could not start (the free ports are
	 * picked before the servers bind them, so another process can take one meanwhile).
	 */
	public static ZooKeeperBackend start() {
		try {
			return new ZooKeeperBackend();
		}
		catch (IllegalStateException ex) {
			return new ZooKeeperBackend();
		}
	}

	private ZooKeeperBackend() {
		List<String> peers = new ArrayList<>();
		for (int i = 0; i < SERVERS; i++) {
			peers.add("server." + (i + 1) + "=127.0.0.1:" + LoopbackPort.free() + ":" + LoopbackPort.free());
		}
		try {
			for (int i = 0; i < SERVERS; i++) {
				writeConfiguration(i, peers);
			}
			IntStream.range(0, SERVERS).forEach(this::start);
			IntStream.range(0, SERVERS).forEach(this::awaitServing);
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	@Override
	public String provider() {
		return "zookeeper";
	}

	@Override
	public List<String> workerArguments() {
		return List.of("--distlock.provider=zookeeper", "--distlock.zookeeper.connect-string=" + connectString(),
				"--distlock.zookeeper.session-timeout=2s", "--distlock.zookeeper.connection-timeout=2s",
				Backend.exclude(NO_DATA_SOURCE, NO_REDIS));
	}

	@Override
	public String restartFault() {
		return "one server of 3 SIGKILLed, then a second (no quorum), both started again";
	}

	@Override
	public void restart() {
		ServerProcesses.kill(this.servers[0]);
		Pause.forQuorumLossToShow();
		ServerProcesses.kill(this.servers[1]);
		Pause.forQuorumLossToShow();
		start(0);
		start(1);
		IntStream.range(0, SERVERS).forEach(this::awaitServing);
	}

	@Override
	public List<Long> serverPids() {
		return IntStream.range(0, SERVERS).mapToObj((i) -> this.servers[i].pid()).toList();
	}

	@Override
	public void close() {
		for (Process server : this.servers) {
			if (server != null) {
				ServerProcesses.kill(server);
			}
		}
		ServerProcesses.deleteQuietly(this.directory);
	}

	private String connectString() {
		return IntStream.of(this.clientPorts).mapToObj((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	private void writeConfiguration(int server, List<String> peers) {
		Path data = this.directory.resolve("server" + server);
		List<String> lines = new ArrayList<>(List.of("tickTime=500", "initLimit=20", "syncLimit=5",
				"dataDir=" + data, "clientPort=" + this.clientPorts[server], "clientPortAddress=127.0.0.1",
				"admin.enableServer=false", "4lw.commands.whitelist=srvr,ruok", "minSessionTimeout=1000"));
		lines.addAll(peers);
		try {
			Files.createDirectories(data);
			Files.writeString(data.resolve("myid"), String.valueOf(server + 1));
			Files.write(this.directory.resolve("zoo" + server + ".cfg"), lines);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write ZooKeeper server " + server + "'s configuration", ex);
		}
	}

	private void start(int server) {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		this.servers[server] = ServerProcesses.launch(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
				"-XX:+UseSerialGC", "-Dzookeeper.jmx.log4j.disable=true", "-cp", System.getProperty("java.class.path"),
				"org.apache.zookeeper.server.quorum.QuorumPeerMain",
				this.directory.resolve("zoo" + server + ".cfg").toString()),
				this.directory.resolve("server" + server + ".log"));
	}

	/** Waits until the server is part of a quorum: {@code srvr} says leader or follower. */
	private void awaitServing(int server) {
		long deadline = System.nanoTime() + ServerProcesses.STARTUP_BOUND.toNanos();
		while (System.nanoTime() - deadline < 0) {
			if (!this.servers[server].isAlive()) {
				throw new IllegalStateException("ZooKeeper server " + server + " exited: "
						+ ServerProcesses.tail(this.directory.resolve("server" + server + ".log")));
			}
			String mode = fourLetterWord(this.clientPorts[server], "srvr");
			if (mode.contains("Mode: leader") || mode.contains("Mode: follower")) {
				return;
			}
			ServerProcesses.sleep(Duration.ofMillis(100));
		}
		throw new IllegalStateException("ZooKeeper server " + server + " joined no quorum within "
				+ ServerProcesses.STARTUP_BOUND);
	}

	private static String fourLetterWord(int port, String word) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			socket.setSoTimeout(1000);
			socket.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
			try (InputStream in = socket.getInputStream()) {
				return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
			}
		}
		catch (IOException ex) {
			return "";
		}
	}

}
