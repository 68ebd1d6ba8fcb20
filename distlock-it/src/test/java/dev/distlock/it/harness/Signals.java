package dev.distlock.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** POSIX signals to processes the suite started, with the {@code kill} command (the JDK sends only TERM and KILL). */
public final class Signals {

	private Signals() {
	}

	/** SIGSTOP to the process and every descendant (a PostgreSQL postmaster and its backends). */
	public static void freeze(long pid) {
		send("-STOP", withDescendants(pid));
	}

	/** SIGCONT to the process and every descendant. */
	public static void thaw(long pid) {
		send("-CONT", withDescendants(pid));
	}

	private static List<Long> withDescendants(long pid) {
		List<Long> pids = new ArrayList<>();
		pids.add(pid);
		ProcessHandle.of(pid).ifPresent((process) -> process.descendants().forEach((child) -> pids.add(child.pid())));
		return pids;
	}

	private static void send(String signal, List<Long> pids) {
		List<String> command = new ArrayList<>(List.of("kill", signal));
		pids.forEach((pid) -> command.add(String.valueOf(pid)));
		try {
			Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException(command + " failed: "
						+ new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
	}

}
