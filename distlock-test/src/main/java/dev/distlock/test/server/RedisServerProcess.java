package dev.distlock.test.server;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} process of a test's own, on a loopback port and without persistence:
 * killing it and starting it again loses every key, like a crashed Redis without RDB/AOF. Never the
 * shared server. The process is killed when the JVM exits, should a test not get to close it.
 */
public final class RedisServerProcess implements AutoCloseable {

	private static final Duration STARTUP_BOUND = Duration.ofSeconds(20);

	private final int port;

	private final Path directory;

	private final boolean ownsDirectory;

	private final List<String> extraArguments;

	private Process process;

	private Thread killOnExit;

	private RedisServerProcess(int port, Path directory, boolean ownsDirectory, List<String> extraArguments) {
		this.port = port;
		this.directory = directory;
		this.ownsDirectory = ownsDirectory;
		this.extraArguments = extraArguments;
		this.process = launch();
		this.killOnExit = killOnExit(this.process);
	}

	/** Whether {@code redis-server} and {@code redis-cli} are executables on the {@code PATH}. */
	public static boolean isOnPath() {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		boolean server = false;
		boolean cli = false;
		for (String directory : path.split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				server = server || Files.isExecutable(Path.of(directory, "redis-server"));
				cli = cli || Files.isExecutable(Path.of(directory, "redis-cli"));
			}
		}
		return server && cli;
	}

	/** Starts an empty server on a free loopback port and returns once it answers {@code PING}. */
	public static RedisServerProcess start() {
		return start(LoopbackPort.free());
	}

	/** Starts an empty server on the port and returns once it answers {@code PING}. */
	public static RedisServerProcess start(int port) {
		try {
			return new RedisServerProcess(port, Files.createTempDirectory("distlock-redis-"), true, List.of());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No temporary directory for redis-server on port " + port, ex);
		}
	}

	/**
	 * Starts a server with its files in a directory the caller owns and removes, with more
	 * {@code redis-server} arguments (such as {@code --cluster-enabled yes}).
	 */
	public static RedisServerProcess start(int port, Path directory, String... extraArguments) {
		return new RedisServerProcess(port, directory, false, List.of(extraArguments));
	}

	public int port() {
		return this.port;
	}

	/** The process id of the running server, for tests that SIGSTOP/SIGCONT it. */
	public long pid() {
		return this.process.pid();
	}

	/** {@code redis://127.0.0.1:<port>}. */
	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	/** Kills the server at once (SIGKILL), as a crash would, and waits until it is gone. */
	public void kill() {
		stop(this.process, true);
	}

	/** Starts an empty server on the same port again after {@link #kill()}. */
	public void startAgain() {
		Runtime.getRuntime().removeShutdownHook(this.killOnExit);
		this.process = launch();
		this.killOnExit = killOnExit(this.process);
	}

	/** Kills the server and starts an empty one on the same port. */
	public void restart() {
		kill();
		startAgain();
	}

	/**
	 * Runs {@code redis-cli -p <port> <arguments>}.
	 * @return what it printed
	 */
	public String cli(String... arguments) {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(this.port)));
		command.addAll(List.of(arguments));
		try {
			Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!cli.waitFor(60, TimeUnit.SECONDS)) {
				cli.destroyForcibly();
				throw new IllegalStateException(command + " did not finish");
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
	}

	/** Stops the server and removes its files unless the caller owns the directory. */
	@Override
	public void close() {
		stop(this.process, false);
		Runtime.getRuntime().removeShutdownHook(this.killOnExit);
		if (this.ownsDirectory) {
			deleteQuietly(this.directory);
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
		long deadline = System.nanoTime() + STARTUP_BOUND.toNanos();
		while (System.nanoTime() - deadline < 0) {
			if (!started.isAlive()) {
				throw new IllegalStateException("redis-server on port " + this.port + " exited with "
						+ started.exitValue() + ": " + Files.readString(log, StandardCharsets.UTF_8));
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
		stop(started, true);
		throw new IllegalStateException("redis-server on port " + this.port + " did not answer PING within "
				+ STARTUP_BOUND.toSeconds() + " s");
	}

	private boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			return "+PONG".equals(in.readLine());
		}
		catch (IOException ex) {
			return false;
		}
	}

	private Thread killOnExit(Process process) {
		Thread hook = new Thread(process::destroyForcibly, "redis-server-" + this.port + "-kill-on-exit");
		Runtime.getRuntime().addShutdownHook(hook);
		return hook;
	}

	private void stop(Process process, boolean forcibly) {
		if (forcibly) {
			process.destroyForcibly();
		}
		else {
			process.destroy();
		}
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS) && !process.destroyForcibly().waitFor(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("redis-server on port " + this.port + " did not die");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while stopping redis-server on port " + this.port, ex);
		}
	}

	private static void deleteQuietly(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary directory left behind is harmless.
		}
	}

}
