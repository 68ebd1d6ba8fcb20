package dev.distlock.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.distlock.test.server.LoopbackPort;

import static org.awaitility.Awaitility.await;

/**
 * A {@code redis-sentinel} process of a test's own on a free loopback port, watching one master
 * under the name {@value #MASTER_NAME}. Its configuration file lives in a temporary directory
 * (Sentinel rewrites it); the process is killed when the JVM exits should a test not close it.
 */
final class RedisSentinelProcess implements AutoCloseable {

	static final String MASTER_NAME = "distlock-ha";

	private final int port;

	private final Path directory;

	private final Process process;

	private final Thread killOnExit;

	private RedisSentinelProcess(int port, Path directory, Process process) {
		this.port = port;
		this.directory = directory;
		this.process = process;
		this.killOnExit = new Thread(process::destroyForcibly, "redis-sentinel-" + port + "-kill-on-exit");
		Runtime.getRuntime().addShutdownHook(this.killOnExit);
	}

	/** Whether {@code redis-sentinel} is an executable on the {@code PATH}. */
	static boolean isOnPath() {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "redis-sentinel"))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Starts a Sentinel watching the master on {@code masterPort} with the given quorum and
	 * {@code down-after-milliseconds}, and returns once it answers {@code PING}.
	 */
	static RedisSentinelProcess start(int masterPort, int quorum, Duration downAfter) {
		int port = LoopbackPort.free();
		try {
			Path directory = Files.createTempDirectory("distlock-sentinel-");
			Path config = directory.resolve("sentinel.conf");
			Files.writeString(config, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + directory,
					"sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " " + quorum,
					"sentinel down-after-milliseconds " + MASTER_NAME + " " + downAfter.toMillis(),
					"sentinel failover-timeout " + MASTER_NAME + " 10000",
					"sentinel parallel-syncs " + MASTER_NAME + " 1", ""), StandardCharsets.UTF_8);
			Process process = new ProcessBuilder(List.of("redis-sentinel", config.toString())).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("sentinel.log").toFile()))
				.start();
			RedisSentinelProcess sentinel = new RedisSentinelProcess(port, directory, process);
			await().atMost(Duration.ofSeconds(20)).until(() -> sentinel.cli("PING").trim().equals("PONG"));
			return sentinel;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start redis-sentinel on port " + port, ex);
		}
	}

	int port() {
		return this.port;
	}

	/** {@code host:port} as Spring Data Redis's Sentinel configuration takes it. */
	String node() {
		return "127.0.0.1:" + this.port;
	}

	/** The port of the master this Sentinel currently names, or -1 if it names none. */
	int masterPort() {
		String[] answer = cli("SENTINEL", "get-master-addr-by-name", MASTER_NAME).trim().split("\\s+");
		return (answer.length == 2) ? Integer.parseInt(answer[1]) : -1;
	}

	String cli(String... arguments) {
		String[] command = new String[arguments.length + 3];
		command[0] = "redis-cli";
		command[1] = "-p";
		command[2] = String.valueOf(this.port);
		System.arraycopy(arguments, 0, command, 3, arguments.length);
		try {
			Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!cli.waitFor(30, TimeUnit.SECONDS)) {
				cli.destroyForcibly();
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Runtime.getRuntime().removeShutdownHook(this.killOnExit);
		TempDirectories.delete(this.directory);
	}

}
