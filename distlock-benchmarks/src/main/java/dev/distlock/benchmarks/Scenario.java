package dev.distlock.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * One benchmark case: how many threads, spread over how many application instances, on their own
 * keys or one shared key, and which latency counts (the whole acquire+release, or only the wait for
 * a contended lock).
 *
 * @param title shown in the report
 * @param threads threads that lock in a loop
 * @param instances application instances the threads are spread over (each its own connections)
 * @param sharedKey all threads lock one key (contention) rather than one key each
 */
record Scenario(String title, int threads, int instances, boolean sharedKey) {

	/**
	 * What one subject did in this case.
	 * @param threadOperations the operations each thread did in the measured window
	 */
	record Result(String subject, long operations, double seconds, Latencies latencies, long cpuNanos,
			long[] threadOperations) {

		/** The fewest operations one thread did (a starved thread shows here). */
		long fewestByOneThread() {
			return LongStream.of(this.threadOperations).min().orElse(0);
		}

		/** The most operations one thread did. */
		long mostByOneThread() {
			return LongStream.of(this.threadOperations).max().orElse(0);
		}

		/**
		 * Fairness on a shared key: the fewest critical sections any thread ran over the most any ran
		 * (1.0 = equal turns; 0 = a thread starved).
		 */
		double threadShareRatio() {
			long most = mostByOneThread();
			return (most == 0) ? 1.0 : (double) fewestByOneThread() / most;
		}

		double perSecond() {
			return this.operations / this.seconds;
		}

		/** CPU time of the whole JVM (callers, client I/O threads, GC) per operation, in microseconds. */
		double cpuMicrosPerOperation() {
			return this.cpuNanos / 1000.0 / Math.max(1, this.operations);
		}

	}

	Result run(Subject subject, String keyPrefix, Duration warmup, Duration measure) throws Exception {
		List<LockUnderTest> locks = new ArrayList<>();
		for (int i = 0; i < this.instances; i++) {
			locks.add(subject.newInstance().get());
		}
		ExecutorService pool = Executors.newFixedThreadPool(this.threads);
		CriticalSection section = new CriticalSection();
		try {
			CountDownLatch start = new CountDownLatch(1);
			long[] window = new long[2];
			List<Future<Latencies>> futures = new ArrayList<>();
			for (int t = 0; t < this.threads; t++) {
				LockUnderTest lock = locks.get(t % this.instances);
				String key = keyPrefix + (this.sharedKey ? "shared" : "key-" + t);
				futures.add(pool.submit(() -> {
					start.await();
					Latencies latencies = new Latencies();
					long measureFrom = window[0];
					long measureUntil = window[1];
					while (true) {
						long begin = System.nanoTime();
						if (begin - measureUntil >= 0) {
							return latencies;
						}
						long waited = lock.runLocked(key, section);
						long took = System.nanoTime() - begin;
						if (begin - measureFrom >= 0) {
							latencies.add(this.sharedKey ? waited : took);
						}
					}
				}));
			}
			window[0] = System.nanoTime() + warmup.toNanos();
			window[1] = window[0] + measure.toNanos();
			start.countDown();
			sleepUntil(window[0]);
			long cpuFrom = processCpuNanos();
			sleepUntil(window[1]);
			long cpuNanos = processCpuNanos() - cpuFrom;
			List<Latencies> perThread = new ArrayList<>();
			for (Future<Latencies> future : futures) {
				perThread.add(future.get(measure.plus(warmup).toSeconds() + 120, TimeUnit.SECONDS));
			}
			section.verify();
			Latencies all = Latencies.merge(perThread);
			long[] threadOperations = perThread.stream().mapToLong(Latencies::count).toArray();
			return new Result(subject.name(), all.count(), measure.toNanos() / 1e9, all, cpuNanos, threadOperations);
		}
		finally {
			pool.shutdownNow();
			locks.forEach(LockUnderTest::close);
		}
	}

	private static void sleepUntil(long nanoTime) throws InterruptedException {
		long remaining = nanoTime - System.nanoTime();
		if (remaining > 0) {
			TimeUnit.NANOSECONDS.sleep(remaining);
		}
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/**
	 * The protected work: a deliberately non-atomic counter, so a broken lock shows up as lost
	 * updates (checked per key in the contended cases, where all threads share one counter).
	 */
	private final class CriticalSection implements Runnable {

		private final AtomicLong calls = new AtomicLong();

		private long count;

		@Override
		public void run() {
			this.calls.incrementAndGet();
			if (sharedKey()) {
				this.count = this.count + 1;
			}
		}

		void verify() {
			if (sharedKey() && this.count != this.calls.get()) {
				throw new IllegalStateException("Mutual exclusion broken: " + this.count + " counted of "
						+ this.calls.get() + " critical sections");
			}
		}

	}

}
