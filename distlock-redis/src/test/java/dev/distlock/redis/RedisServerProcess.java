package dev.distlock.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} process of a test's own, on loopback, without persistence: restarting it
 * loses every key, like a crashed Redis without RDB/AOF. Never the shared server.
 */
final class RedisServerProcess implements AutoCloseable {

	private final int port;

	private final Path directory;

	private final List<String> extraArguments;

	private final boolean ownsDirectory;

	private Process process;

	private RedisServerProcess(int port, Path directory, boolean ownsDirectory, List<String> extraArguments) {
		this.port = port;
		this.directory = directory;
		this.ownsDirectory = ownsDirectory;
		this.extraArguments = extraArguments;
		this.process = launch();
	}

	/** Whether {@code redis-server} and {@code redis-cli} are on the PATH. */
	static boolean isInstalled() {
		return runs("redis-server", "--version") && runs("redis-cli", "--version");
	}

	/** Starts a server on a free port. */
	static RedisServerProcess start() {
		return new RedisServerProcess(freePort(), temporaryDirectory(), true, List.of());
	}

	/** Starts a server on the given port with its files in a directory the caller owns. */
	static RedisServerProcess start(int port, Path directory, String... extraArguments) {
		return new RedisServerProcess(port, directory, false, List.of(extraArguments));
	}

	static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("distlock-redis-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return this.port;
	}

	String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	/** Kills the server (no clean shutdown, like a crash) and starts an empty one on the same port. */
	void restart() {
		kill(this.process, true);
		this.process = launch();
	}

	/** Kills the server; {@link #restart()} brings it back. */
	void crash() {
		kill(this.process, true);
	}

	/** Starts the server again after {@link #crash()}. */
	void startAgain() {
		this.process = launch();
	}

	/** Runs {@code redis-cli -p <port> <arguments>} and returns what it printed. */
	String cli(String... arguments) {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(this.port)));
		command.addAll(List.of(arguments));
		return run(command);
	}

	@Override
	public void close() {
		kill(this.process, false);
		if (this.ownsDirectory) {
			deleteRecursively(this.directory);
		}
	}

	static void deleteRecursively(Path directory) {
		try (var paths = Files.walk(directory)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary directory left behind is harmless.
		}
	}

	private Process launch() {
		List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.directory.toString()));
		command.addAll(this.extraArguments);
		Path log = this.directory.resolve("redis-" + this.port + ".log");
		try {
			Process started = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			awaitPong(started, log);
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command, ex);
		}
	}

	private void awaitPong(Process started, Path log) throws IOException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (System.nanoTime() < deadline) {
			if (!started.isAlive()) {
				throw new IllegalStateException("redis-server on port " + this.port + " exited: "
						+ Files.readString(log, StandardCharsets.UTF_8));
			}
			if (answersPing()) {
				return;
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		started.destroyForcibly();
		throw new IllegalStateException("redis-server on port " + this.port + " did not answer PING");
	}

	private boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
			return "+PONG".equals(reply);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void kill(Process process, boolean forcibly) {
		if (forcibly) {
			process.destroyForcibly();
		}
		else {
			process.destroy();
		}
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(command + " did not finish");
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static boolean runs(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
