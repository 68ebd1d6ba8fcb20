package dev.distlock.it.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One worker JVM ({@code dev.distlock.it.worker.FaultWorkerApplication}) and what it reported: its
 * events are read from its standard output as they come, so the suite knows at any moment which of
 * its threads is inside a critical section, and with which token.
 */
public final class WorkerProcess implements AutoCloseable {

	private static final String MAIN_CLASS = "dev.distlock.it.worker.FaultWorkerApplication";

	private final String name;

	private final Process process;

	private final List<WorkerEvent> events = new CopyOnWriteArrayList<>();

	/** The ENTER without its EXIT yet, per thread: the critical sections in progress. */
	private final Map<Integer, WorkerEvent> inside = new HashMap<>();

	private final Path eventLog;

	private WorkerProcess(String name, Process process, Path eventLog) {
		this.name = name;
		this.process = process;
		this.eventLog = eventLog;
		Thread reader = new Thread(this::readEvents, "worker-" + name + "-events");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts a worker with its own log files in {@code logs}.
	 * @param arguments Spring Boot command-line properties ({@code --distlock.provider=redis} ...)
	 */
	static WorkerProcess start(String name, List<String> arguments, Path logs) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-cp",
				System.getProperty("java.class.path"), MAIN_CLASS, "--worker.name=" + name,
				"--logging.file.name=" + logs.resolve(name + ".log")));
		command.addAll(arguments);
		try {
			Process process = new ProcessBuilder(command)
				.redirectError(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".stderr").toFile()))
				.start();
			return new WorkerProcess(name, process, logs.resolve(name + ".events"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start worker " + name, ex);
		}
	}

	public String name() {
		return this.name;
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Waits for READY: the context is up and the threads contend. */
	void awaitReady(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (events((event) -> event.is("READY")).isEmpty()) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("Worker " + this.name + " exited with " + this.process.exitValue()
						+ " before it was ready: see its log in the suite's log directory");
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Worker " + this.name + " not ready within " + timeout);
			}
			Waiting.sleep(Duration.ofMillis(50));
		}
	}

	/** A critical section in progress now, if one of its threads holds {@code lock}. */
	synchronized Optional<WorkerEvent> holding(String lock) {
		return this.inside.values().stream().filter((enter) -> enter.lock().equals(lock)).findFirst();
	}

	/** Its events so far that match. */
	List<WorkerEvent> events(Predicate<WorkerEvent> filter) {
		return this.events.stream().filter(filter).toList();
	}

	/** SIGKILL, as a crash: nothing runs in the process after it. */
	void kill() {
		this.process.destroyForcibly();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Worker " + this.name + " did not die on SIGKILL");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while killing worker " + this.name, ex);
		}
	}

	/** SIGSTOP: the process stops where it is, as in a long GC pause or a frozen VM. */
	void freeze() {
		Signals.freeze(pid());
	}

	/** SIGCONT. */
	void thaw() {
		Signals.thaw(pid());
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.process.destroyForcibly();
			}
		}
	}

	private void readEvents() {
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				Writer log = Files.newBufferedWriter(this.eventLog, StandardCharsets.UTF_8)) {
			String line;
			while ((line = out.readLine()) != null) {
				log.write(line);
				log.write('\n');
				WorkerEvent event = WorkerEvent.parse(line);
				if (event != null) {
					record(event);
				}
			}
		}
		catch (IOException ex) {
			// The process died: its events end here.
		}
	}

	private synchronized void record(WorkerEvent event) {
		this.events.add(event);
		if (event.is("ENTER")) {
			this.inside.put(event.thread(), event);
		}
		else if (event.is("EXIT") || event.is("FAIL")) {
			this.inside.remove(event.thread());
		}
	}

}
