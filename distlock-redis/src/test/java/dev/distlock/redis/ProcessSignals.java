package dev.distlock.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** SIGSTOP/SIGCONT for a test's own child processes: a frozen process keeps its sockets open. */
final class ProcessSignals {

	private ProcessSignals() {
	}

	static void stop(long pid) {
		send("-STOP", pid);
	}

	static void resume(long pid) {
		send("-CONT", pid);
	}

	private static void send(String signal, long pid) {
		try {
			Process kill = new ProcessBuilder("kill", signal, String.valueOf(pid)).inheritIO().start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill " + signal + " " + pid + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
