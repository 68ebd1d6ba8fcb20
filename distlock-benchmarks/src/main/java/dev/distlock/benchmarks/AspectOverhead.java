package dev.distlock.benchmarks;

import java.util.Arrays;
import java.util.Locale;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.engine.LockEngines;

/**
 * What the {@code @DistributedLocked} aspect adds on top of {@link LockTemplate}, measured on the
 * in-memory provider so the backend's own latency does not drown it: the same uncontended
 * acquire+release, called through the annotated proxy and through the template, interleaved in
 * rounds on one thread.
 */
final class AspectOverhead {

	private AspectOverhead() {
	}

	static void run(int rounds, int callsPerRound) {
		try (AnnotatedMethodLock annotated = new AnnotatedMethodLock("redis://127.0.0.1:1", "in-memory")) {
			LockTemplate template = annotated.context().getBean(LockEngines.class).primary();
			Runnable nothing = () -> {
			};
			double[] viaAspect = new double[rounds];
			double[] viaTemplate = new double[rounds];
			for (int round = -rounds; round < rounds; round++) { // first half: warm-up
				long start = System.nanoTime();
				for (int i = 0; i < callsPerRound; i++) {
					annotated.runLocked("k" + (i & 7), nothing);
				}
				long aspectNanos = System.nanoTime() - start;
				start = System.nanoTime();
				for (int i = 0; i < callsPerRound; i++) {
					try (LockHandle handle = template.acquire(LockRequest.of(
							AnnotatedMethodLock.LockedSection.class.getName() + ".run:k" + (i & 7)))) {
						nothing.run();
					}
				}
				long templateNanos = System.nanoTime() - start;
				if (round >= 0) {
					viaAspect[round] = (double) aspectNanos / callsPerRound;
					viaTemplate[round] = (double) templateNanos / callsPerRound;
				}
			}
			Arrays.sort(viaAspect);
			Arrays.sort(viaTemplate);
			double aspect = viaAspect[rounds / 2];
			double plain = viaTemplate[rounds / 2];
			System.out.println();
			System.out.println("== aspect overhead (in-memory provider, 1 thread, median of " + rounds + " rounds x "
					+ callsPerRound + " calls)");
			System.out.printf(Locale.ROOT, "   LockTemplate acquire+release:        %8.2f us/op%n", plain / 1000);
			System.out.printf(Locale.ROOT, "   @DistributedLocked(key=\"#key\") call: %8.2f us/op%n", aspect / 1000);
			System.out.printf(Locale.ROOT, "   aspect adds:                         %8.2f us/op (ratio %.2f)%n",
					(aspect - plain) / 1000, aspect / plain);
		}
	}

}
