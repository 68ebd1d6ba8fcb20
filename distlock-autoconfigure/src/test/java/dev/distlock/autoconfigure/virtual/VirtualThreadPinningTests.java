package dev.distlock.autoconfigure.virtual;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.DistributedLocked;
import dev.distlock.autoconfigure.DistlockAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @DistributedLocked} methods called from 10,000 virtual threads contending on 100 keys, on
 * Redis and on PostgreSQL: every call runs under its lock, and no virtual thread is pinned to its
 * carrier while it blocks in our code (JFR {@code jdk.VirtualThreadPinned} events with a
 * {@code dev.distlock} frame). A control first proves that the recording sees a pinned thread.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadPinningTests {

	private static final int THREADS = 10_000;

	private static final int KEYS = 100;

	private static final String REDIS_URL = env("DISTLOCK_TEST_REDIS_URL", "redis://127.0.0.1:6379");

	private static final String POSTGRES_URL = env("DISTLOCK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");

	private static final String POSTGRES_USER = env("DISTLOCK_TEST_POSTGRES_USER", "postgres");

	@Test
	void theRecordingSeesAVirtualThreadPinnedInAClassInitializer() throws Exception {
		try (PinnedEvents events = new PinnedEvents(); VirtualThreads.Executor threads = VirtualThreads.newPerTaskExecutor()) {
			// A virtual thread that blocks while initializing a class stays pinned, on every JDK.
			threads.submit(() -> SlowToInitialize.VALUE).get(30, TimeUnit.SECONDS);
			assertThat(events.stopAndFind((name) -> name.equals(SlowToInitialize.class.getName()))).isNotEmpty();
		}
	}

	@Test
	void noVirtualThreadIsPinnedInDistlockOnRedis() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, DistlockAutoConfiguration.class))
			.withUserConfiguration(CountersConfiguration.class)
			.withPropertyValues("spring.data.redis.url=" + REDIS_URL, "distlock.provider=redis",
					"distlock.redis.key-prefix=vthreads-" + UUID.randomUUID() + ":")
			.run((context) -> assertNoPinningInDistlock(context.getBean(Counters.class)));
	}

	@Test
	void noVirtualThreadIsPinnedInDistlockOnPostgres() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, DistlockAutoConfiguration.class))
			.withUserConfiguration(CountersConfiguration.class)
			.withPropertyValues("spring.datasource.url=" + POSTGRES_URL, "spring.datasource.username=" + POSTGRES_USER,
					"distlock.provider=postgres", "distlock.jdbc.initialize-schema=always")
			.run((context) -> assertNoPinningInDistlock(context.getBean(Counters.class)));
	}

	private static void assertNoPinningInDistlock(Counters counters) throws Exception {
		// A warm-up round first: class initialization of our own classes on first use may pin briefly,
		// once per JVM, and is not a blocking path of a running application.
		contend(counters, KEYS, "warm-up");
		try (PinnedEvents events = new PinnedEvents()) {
			String run = UUID.randomUUID().toString();
			contend(counters, THREADS, run);
			assertThat(counters.total(run)).as("every call counted under its lock").isEqualTo(THREADS);
			assertThat(counters.maxConcurrency()).as("one holder per key at a time").isEqualTo(1);
			assertThat(events.stopAndFind(VirtualThreadPinningTests::isDistlockMainClass)).isEmpty();
		}
	}

	private static void contend(Counters counters, int calls, String run) throws Exception {
		try (VirtualThreads.Executor threads = VirtualThreads.newPerTaskExecutor()) {
			List<Future<?>> results = new ArrayList<>();
			for (int i = 0; i < calls; i++) {
				String key = run + "-" + (i % KEYS);
				results.add(threads.submit(() -> {
					counters.increment(key);
					return null;
				}));
			}
			for (Future<?> result : results) {
				result.get(5, TimeUnit.MINUTES);
			}
		}
	}

	private static boolean isDistlockMainClass(String className) {
		return className.startsWith("dev.distlock.") && !className.startsWith(VirtualThreadPinningTests.class.getName())
				&& !className.startsWith(Counters.class.getName());
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	@Configuration(proxyBeanMethods = false)
	static class CountersConfiguration {

		@Bean
		Counters counters() {
			return new Counters();
		}

	}

	/** Counts per key with a deliberately non-atomic read and write: only the lock keeps it exact. */
	static class Counters {

		private final Map<String, Integer> counts = new ConcurrentHashMap<>();

		private final Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();

		private final AtomicInteger maxConcurrency = new AtomicInteger();

		@DistributedLocked(name = "vthreads", key = "#key", waitTime = "2m")
		public void increment(String key) {
			int concurrent = this.inside.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
			this.maxConcurrency.accumulateAndGet(concurrent, Math::max);
			int before = this.counts.getOrDefault(key, 0);
			Thread.yield();
			this.counts.put(key, before + 1);
			this.inside.get(key).decrementAndGet();
		}

		int total(String run) {
			return this.counts.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().startsWith(run))
				.mapToInt(Map.Entry::getValue)
				.sum();
		}

		int maxConcurrency() {
			return this.maxConcurrency.get();
		}

	}

	static final class SlowToInitialize {

		static final int VALUE = initialize();

		private static int initialize() {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return 1;
		}

	}

}
