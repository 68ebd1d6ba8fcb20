package dev.distlock.test.server;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An etcd cluster of a test's own: {@code n} {@code etcd} processes (Debian's {@code etcd-server})
 * on free loopback ports, with data directories in a temporary directory (in memory, under
 * {@code /dev/shm}, where there is one) removed on
 * {@link #close()}. Members can be killed (SIGKILL) and started again on their data. Never a shared
 * server. Processes are killed when the JVM exits, should a test not get to close the cluster.
 */
public final class EtcdCluster implements AutoCloseable {

	private static final Duration STARTUP_BOUND = Duration.ofSeconds(30);

	private final Path directory;

	private final List<Member> members = new ArrayList<>();

	private final String initialCluster;

	private final String token = "distlock-" + UUID.randomUUID();

	private EtcdCluster(int size) throws IOException {
		// In memory where the machine has it: etcd syncs its WAL on every write, and on a busy shared disk
		// an fsync can take hundreds of milliseconds, which would make the cluster the slowest thing in a test.
		Path shm = Path.of("/dev/shm");
		this.directory = (Files.isDirectory(shm) && Files.isWritable(shm))
				? Files.createTempDirectory(shm, "distlock-etcd-") : Files.createTempDirectory("distlock-etcd-");
		for (int i = 0; i < size; i++) {
			this.members.add(new Member("m" + i, LoopbackPort.free(), LoopbackPort.free()));
		}
		this.initialCluster = this.members.stream()
			.map((member) -> member.name + "=http://127.0.0.1:" + member.peerPort)
			.collect(Collectors.joining(","));
	}

	/** Whether {@code etcd} is an executable on the {@code PATH}. */
	public static boolean isOnPath() {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "etcd"))) {
				return true;
			}
		}
		return false;
	}

	/** Starts a cluster of {@code size} members and returns once it has a leader. */
	public static EtcdCluster start(int size) {
		EtcdCluster cluster;
		try {
			cluster = new EtcdCluster(size);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No temporary directory for etcd", ex);
		}
		try {
			for (int i = 0; i < size; i++) {
				cluster.launch(i);
			}
			for (int i = 0; i < size; i++) {
				cluster.awaitHealthy(i);
			}
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	public int size() {
		return this.members.size();
	}

	/** The client URLs of every member, comma-separated: {@code http://127.0.0.1:p1,http://127.0.0.1:p2}. */
	public String endpoints() {
		return this.members.stream().map((member) -> "http://127.0.0.1:" + member.clientPort)
			.collect(Collectors.joining(","));
	}

	/** The client URL of one member. */
	public String endpoint(int member) {
		return "http://127.0.0.1:" + this.members.get(member).clientPort;
	}

	/** Kills a member at once (SIGKILL), as a crash would, and waits until it is gone. */
	public void kill(int member) {
		Member killed = this.members.get(member);
		if (killed.process != null) {
			stop(killed, true);
		}
	}

	/** The process id of a running member (for SIGSTOP/SIGCONT). */
	public long pid(int member) {
		Process process = this.members.get(member).process;
		if (process == null) {
			throw new IllegalStateException("etcd member " + member + " is not running");
		}
		return process.pid();
	}

	/**
	 * Starts a killed member again on its data and returns once it is running (not necessarily part of a
	 * quorum: that needs a majority of members).
	 */
	public void startAgain(int member) {
		launch(member);
	}

	/** Waits until the member answers {@code /health} as healthy (it sees a leader). */
	public void awaitHealthy(int member) {
		Member awaited = this.members.get(member);
		long deadline = System.nanoTime() + STARTUP_BOUND.toNanos();
		while (System.nanoTime() - deadline < 0) {
			if (awaited.process == null || !awaited.process.isAlive()) {
				throw new IllegalStateException("etcd member " + awaited.name + " is not running: " + log(awaited));
			}
			if (healthy(awaited)) {
				return;
			}
			sleep(50);
		}
		throw new IllegalStateException("etcd member " + awaited.name + " was not healthy within "
				+ STARTUP_BOUND.toSeconds() + " s: " + log(awaited));
	}

	/** Stops every member and removes the data directories. */
	@Override
	public void close() {
		for (Member member : this.members) {
			if (member.process != null) {
				stop(member, true);
			}
		}
		try (Stream<Path> paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary directory left behind is harmless.
		}
	}

	private void launch(int index) {
		Member member = this.members.get(index);
		String client = "http://127.0.0.1:" + member.clientPort;
		String peer = "http://127.0.0.1:" + member.peerPort;
		List<String> command = List.of("etcd", "--name", member.name, "--data-dir",
				this.directory.resolve(member.name).toString(), "--listen-client-urls", client,
				"--advertise-client-urls", client, "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
				"--initial-cluster", this.initialCluster, "--initial-cluster-state", "new", "--initial-cluster-token",
				this.token, "--log-level", "warn", "--logger", "zap");
		try {
			member.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(member).toFile()))
				.start();
			Process started = member.process;
			member.killOnExit = new Thread(started::destroyForcibly, "etcd-" + member.name + "-kill-on-exit");
			Runtime.getRuntime().addShutdownHook(member.killOnExit);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command, ex);
		}
	}

	private static boolean healthy(Member member) {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI
				.create("http://127.0.0.1:" + member.clientPort + "/health").toURL().openConnection();
			connection.setConnectTimeout(500);
			connection.setReadTimeout(2000);
			try (InputStream in = connection.getInputStream()) {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\"health\":\"true\"");
			}
			finally {
				connection.disconnect();
			}
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void stop(Member member, boolean forcibly) {
		Process process = member.process;
		if (forcibly) {
			process.destroyForcibly();
		}
		else {
			process.destroy();
		}
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("etcd member " + member.name + " did not die");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while stopping etcd member " + member.name, ex);
		}
		Runtime.getRuntime().removeShutdownHook(member.killOnExit);
		member.process = null;
	}

	private Path logFile(Member member) {
		return this.directory.resolve(member.name + ".log");
	}

	private String log(Member member) {
		try {
			return Files.readString(logFile(member), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no log)";
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for etcd", ex);
		}
	}

	private static final class Member {

		final String name;

		final int clientPort;

		final int peerPort;

		Process process;

		Thread killOnExit;

		Member(String name, int clientPort, int peerPort) {
			this.name = name;
			this.clientPort = clientPort;
			this.peerPort = peerPort;
		}

	}

}
