package dev.distlock.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.distlock.LockGroup;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.redis.RedisLockProvider;

/**
 * What a permit ({@code permits = 3}) and a 2-key group cost relative to a plain lock, on one
 * {@link LockEngine} over the Redis provider: uncontended acquire+release on one thread, the three
 * interleaved in rounds so that load on the shared machine hits them alike; the plain lock measured
 * in the same run is the floor of the ratios.
 */
final class CoordinationCost {

	private CoordinationCost() {
	}

	static void run(String redisUrl, int rounds, int callsPerRound) {
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
				LettuceConnectionFactory.createRedisConfiguration(redisUrl));
		connectionFactory.afterPropertiesSet();
		RedisLockProvider provider = new RedisLockProvider(connectionFactory, "distlock-bench:");
		LeaseWatchdog watchdog = new LeaseWatchdog();
		try {
			LockEngine engine = new LockEngine(provider, watchdog,
					EngineSettings.defaults("bench-" + UUID.randomUUID().toString().substring(0, 8)),
					LockEngineObserver.NOOP);
			String run = "coord:" + UUID.randomUUID().toString().substring(0, 8) + ":";
			LockRequest plain = LockRequest.of(run + "plain").waitTime(Duration.ofSeconds(5));
			LockRequest permit = LockRequest.of(run + "permit").permits(3).waitTime(Duration.ofSeconds(5));
			List<LockRequest> pair = List.of(LockRequest.of(run + "account:9").waitTime(Duration.ofSeconds(5)),
					LockRequest.of(run + "account:10"));
			double[] plainNanos = new double[rounds];
			double[] permitNanos = new double[rounds];
			double[] pairNanos = new double[rounds];
			for (int round = -rounds; round < rounds; round++) { // first half: warm-up
				double p = measure(callsPerRound, () -> {
					try (LockHandle handle = engine.acquire(plain)) {
						handle.fencingToken();
					}
				});
				double s = measure(callsPerRound, () -> {
					try (LockHandle handle = engine.acquire(permit)) {
						handle.fencingToken();
					}
				});
				double g = measure(callsPerRound, () -> {
					try (LockGroup group = engine.acquireAll(pair)) {
						group.handles();
					}
				});
				if (round >= 0) {
					plainNanos[round] = p;
					permitNanos[round] = s;
					pairNanos[round] = g;
				}
			}
			double plainMedian = median(plainNanos);
			double permitMedian = median(permitNanos);
			double pairMedian = median(pairNanos);
			System.out.println();
			System.out.println("== coordination cost (Redis, uncontended acquire+release, 1 thread, median of " + rounds
					+ " rounds x " + callsPerRound + " calls)");
			System.out.printf(Locale.ROOT, "   plain lock:              %8.1f us/op (floor)%n", plainMedian / 1000);
			System.out.printf(Locale.ROOT, "   permit (permits = 3):    %8.1f us/op (ratio %.2f)%n", permitMedian / 1000,
					permitMedian / plainMedian);
			System.out.printf(Locale.ROOT, "   2-key group (acquireAll): %7.1f us/op (ratio %.2f)%n", pairMedian / 1000,
					pairMedian / plainMedian);
		}
		finally {
			provider.close();
			watchdog.close();
			connectionFactory.destroy();
		}
	}

	private static double measure(int calls, Runnable call) {
		long start = System.nanoTime();
		for (int i = 0; i < calls; i++) {
			call.run();
		}
		return (double) (System.nanoTime() - start) / calls;
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

}
