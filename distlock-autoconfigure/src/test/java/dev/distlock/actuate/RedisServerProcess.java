package dev.distlock.actuate;

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
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A {@code redis-server} process of the test's own on a loopback port, without persistence, so the
 * test can kill it and start an empty one on the same port without touching the shared Redis.
 */
final class RedisServerProcess implements AutoCloseable {

	private static final Duration STARTUP_BOUND = Duration.ofSeconds(10);

	private final int port;

	private final Process process;

	private final Path log;

	// Kills the server if the test JVM exits before the test could (a forked JVM timing out).
	private final Thread killOnExit;

	private RedisServerProcess(int port, Process process, Path log) {
		this.port = port;
		this.process = process;
		this.log = log;
		this.killOnExit = new Thread(process::destroyForcibly, "redis-server-" + port + "-kill-on-exit");
		Runtime.getRuntime().addShutdownHook(this.killOnExit);
	}

	/** Whether a {@code redis-server} executable is on the {@code PATH}. */
	static boolean isOnPath() {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "redis-server"))) {
				return true;
			}
		}
		return false;
	}

	/** Starts an empty server on the port and returns once it answers {@code PING}. */
	static RedisServerProcess start(int port) {
		try {
			Path log = Files.createTempFile("distlock-redis-" + port + "-", ".log");
			Process process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--save", "",
					"--appendonly", "no", "--bind", "127.0.0.1")
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			RedisServerProcess server = new RedisServerProcess(port, process, log);
			server.awaitAnswer();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start redis-server on port " + port, ex);
		}
	}

	int port() {
		return this.port;
	}

	/** Kills the server at once (SIGKILL), as a crash would, and waits until it is gone. */
	void kill() {
		this.process.destroyForcibly();
		try {
			if (!this.process.waitFor(STARTUP_BOUND.toSeconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("redis-server on port " + this.port + " did not die");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while killing redis-server on port " + this.port, ex);
		}
	}

	@Override
	public void close() {
		kill();
		Runtime.getRuntime().removeShutdownHook(this.killOnExit);
		try {
			Files.deleteIfExists(this.log);
		}
		catch (IOException ex) {
			// A temporary file left behind is harmless.
		}
	}

	private void awaitAnswer() {
		try {
			await().atMost(STARTUP_BOUND).pollInterval(Duration.ofMillis(50)).until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("redis-server on port " + this.port + " exited with "
							+ this.process.exitValue() + ": " + Files.readString(this.log));
				}
				return answersPing();
			});
		}
		catch (RuntimeException | Error ex) {
			close();
			throw ex;
		}
	}

	private boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
			socket.setSoTimeout(500);
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

}
