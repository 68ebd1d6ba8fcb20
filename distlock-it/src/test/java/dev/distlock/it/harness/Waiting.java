package dev.distlock.it.harness;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Sleeping and polling for the suite's own pacing (never for what a test asserts about time). */
final class Waiting {

	private Waiting() {
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/** Whether the condition held within the timeout. */
	static boolean until(Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			sleep(Duration.ofMillis(20));
		}
		return true;
	}

}
