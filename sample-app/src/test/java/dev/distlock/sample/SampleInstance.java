package dev.distlock.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * One sample-app instance in its own JVM process, as a user would run it.
 */
final class SampleInstance implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Process process;

	private final int port;

	private final Path log;

	private SampleInstance(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	static SampleInstance start(String name, Path workDir, String... arguments) throws IOException {
		return start(name, workDir, List.of(), arguments);
	}

	/** An instance whose JVM also gets the given options, e.g. {@code -Dspring.aot.enabled=true}. */
	static SampleInstance start(String name, Path workDir, List<String> jvmOptions, String... arguments)
			throws IOException {
		int port = freePort();
		Path log = workDir.resolve(name + ".log");
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1"));
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", classpath, SampleApplication.class.getName(), "--server.port=" + port,
				"--distlock.instance-id=" + name));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(workDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		SampleInstance instance = new SampleInstance(process, port, log);
		try {
			await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(instance::isUp);
		}
		catch (RuntimeException ex) {
			instance.close();
			throw new IllegalStateException(name + " did not start; log:\n" + instance.logText(), ex);
		}
		return instance;
	}

	HttpResponse<String> post(String path) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	void kill() {
		this.process.destroyForcibly();
	}

	String logText() {
		try {
			return Files.exists(this.log) ? Files.readString(this.log) : "";
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private boolean isUp() {
		if (!this.process.isAlive()) {
			throw new IllegalStateException("process exited with " + this.process.exitValue());
		}
		try {
			HttpResponse<String> health = get("/actuator/health");
			return health.statusCode() == 200;
		}
		catch (IOException | InterruptedException ex) {
			return false;
		}
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(20),
					java.util.concurrent.TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

}
