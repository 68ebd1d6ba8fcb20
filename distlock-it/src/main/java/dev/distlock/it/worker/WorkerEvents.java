package dev.distlock.it.worker;

import java.io.PrintStream;
import java.time.Instant;

/**
 * The worker's report to the suite: one line per event on standard output, {@code <epoch ms> <event>
 * <fields>}, written whole (one {@code println} per line) so lines of threads never interleave.
 * Events: {@code READY <pid>}; {@code ENTER <thread> <lock> <token>} once a lock is held;
 * {@code EXIT <thread> <lock> <token> WRITTEN|STALE|LATE_WRITTEN|LATE_STALE <lease expiry ms>} after
 * the fenced write ({@code LATE_} when the critical section outlived its lease: the holder was
 * frozen; the expiry is the handle's local one, past which it counts as lost);
 * {@code FAIL <thread> <lock> <elapsed ms> <exception>} when an acquire or a write failed;
 * {@code BUSY <thread> <lock> <elapsed ms>} when the wait ran out; {@code LOST <lock>} when the
 * engine declared a held lease lost.
 */
final class WorkerEvents {

	private final PrintStream out;

	WorkerEvents(PrintStream out) {
		this.out = out;
	}

	void ready(long pid) {
		emit("READY " + pid);
	}

	void enter(int thread, String lock, long token) {
		emit("ENTER " + thread + " " + lock + " " + token);
	}

	void exit(int thread, String lock, long token, String outcome, Instant leaseExpiry) {
		emit("EXIT " + thread + " " + lock + " " + token + " " + outcome + " " + leaseExpiry.toEpochMilli());
	}

	void fail(int thread, String lock, long elapsedMillis, Throwable failure) {
		emit("FAIL " + thread + " " + lock + " " + elapsedMillis + " " + failure.getClass().getSimpleName());
	}

	void busy(int thread, String lock, long elapsedMillis) {
		emit("BUSY " + thread + " " + lock + " " + elapsedMillis);
	}

	void lost(String lock) {
		emit("LOST " + lock);
	}

	private void emit(String line) {
		this.out.println(System.currentTimeMillis() + " " + line);
	}

}
