package dev.distlock.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Runs every case against every subject in one JVM and prints a table with ratios to the floor.
 *
 * <pre>
 * ./mvnw -B -q -Pbenchmarks -pl distlock-benchmarks -am package -DskipTests
 * java -jar distlock-benchmarks/target/benchmarks.jar [--redis-url=redis://127.0.0.1:6379] [--dynamodb-url=http://127.0.0.1:8000] [--warmup=2] [--measure=4] [--cases=1,2,3,4] [--subjects=1,2,3] [--zookeeper-connect=host:port (default: in-process)] [--etcd-endpoints=http://host:port (default: a private local member)] [--coordination-only=true] [--postgres-url=jdbc:postgresql://127.0.0.1:5432/test] [--mysql-url=jdbc:mariadb://127.0.0.1:3306/test]
 * </pre>
 *
 * The Redis URL defaults to {@code DISTLOCK_BENCH_REDIS_URL}, then {@code DISTLOCK_TEST_REDIS_URL},
 * then {@code redis://127.0.0.1:6379}. Keys live under {@code distlock-bench:} and expire.
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		String redisUrl = option(args, "redis-url", System.getenv().getOrDefault("DISTLOCK_BENCH_REDIS_URL",
				System.getenv().getOrDefault("DISTLOCK_TEST_REDIS_URL", "redis://127.0.0.1:6379")));
		// Redlock's nodes: independent masters when given; by default five databases of the one Redis,
		// which measures the protocol's cost (two parallel rounds over N connections), not independence.
		List<String> redlockNodes = List.of(option(args, "redlock-nodes",
				String.join(",", redisUrl + "/1", redisUrl + "/2", redisUrl + "/3", redisUrl + "/4", redisUrl + "/5"))
			.split(","));
		String dynamoDbUrl = option(args, "dynamodb-url",
				System.getenv().getOrDefault("DISTLOCK_TEST_DYNAMODB_URL", "http://127.0.0.1:8000"));
		String zooKeeper = option(args, "zookeeper-connect", System.getenv().getOrDefault("DISTLOCK_BENCH_ZOOKEEPER", ""));
		String etcd = option(args, "etcd-endpoints", System.getenv().getOrDefault("DISTLOCK_BENCH_ETCD", ""));
		BenchDatabases.Database postgres = new BenchDatabases.Database(
				option(args, "postgres-url", System.getenv().getOrDefault("DISTLOCK_TEST_POSTGRES_URL",
						"jdbc:postgresql://127.0.0.1:5432/test")),
				option(args, "postgres-user", "postgres"), option(args, "postgres-password", ""));
		BenchDatabases.Database mysql = new BenchDatabases.Database(
				option(args, "mysql-url", System.getenv().getOrDefault("DISTLOCK_TEST_MYSQL_URL",
						"jdbc:mariadb://127.0.0.1:3306/test")),
				option(args, "mysql-user", "root"), option(args, "mysql-password", ""));
		Duration warmup = Duration.ofMillis((long) (Double.parseDouble(option(args, "warmup", "2")) * 1000));
		Duration measure = Duration.ofMillis((long) (Double.parseDouble(option(args, "measure", "4")) * 1000));

		if ("true".equals(option(args, "coordination-only", "false"))) {
			CoordinationCost.run(redisUrl, 10, 2_000);
			return;
		}
		List<Subject> subjects = List.of(
				new Subject("floor: Lettuce SET NX PX + Lua compare-delete", () -> new RawLettuceFloor(redisUrl)),
				new Subject("distlock: RedisLockProvider SPI, no engine", () -> new ProviderDirectLock(redisUrl)),
				new Subject("distlock: LockTemplate on RedisLockProvider", () -> EngineTemplateLock.redis(redisUrl)),
				new Subject("distlock: @DistributedLocked method (Boot app)",
						() -> new AnnotatedMethodLock(redisUrl, "redis")),
				new Subject("peer: ShedLock 6.10 Spring Data Redis", () -> ShedLockPeer.redis(redisUrl)),
				new Subject("distlock: RedlockProvider SPI, " + redlockNodes.size() + " nodes",
						() -> new RedlockDirectLock(redlockNodes)),
				new Subject("distlock: DynamoDbLockProvider SPI (dynalite)", () -> new DynamoDbDirectLock(dynamoDbUrl)),
				new Subject("peer: Curator InterProcessMutex (in-process ZooKeeper)",
						() -> new CuratorMutexFloor(LocalServers.zooKeeper(zooKeeper))),
				new Subject("distlock: ZooKeeperLockProvider SPI", () -> new ZooKeeperDirectLock(
						LocalServers.zooKeeper(zooKeeper))),
				new Subject("distlock: EtcdLockProvider SPI (1 local member)",
						() -> new EtcdDirectLock(LocalServers.etcd(etcd))),
				new Subject("floor: PostgreSQL pg_try_advisory_lock, conn/thread", () -> new AdvisoryLockFloor(postgres)),
				new Subject("distlock: LockTemplate on postgres", () -> BenchDatabases.postgres(postgres)),
				new Subject("distlock: LockTemplate on jdbc-table (PostgreSQL)", () -> BenchDatabases.jdbcTable(postgres)),
				new Subject("peer: Spring Integration JdbcLockRegistry (PG)", () -> new JdbcLockRegistryPeer(postgres)),
				new Subject("peer: ShedLock 6.10 JdbcTemplate (PostgreSQL)", () -> ShedLockPeer.jdbc(postgres)),
				new Subject("floor: MariaDB GET_LOCK(name, 0), conn/thread", () -> new NamedLockFloor(mysql)),
				new Subject("distlock: LockTemplate on mysql (MariaDB)", () -> BenchDatabases.mysql(mysql)));
		String only = option(args, "subjects", "");
		if (!only.isEmpty()) {
			List<Subject> chosen = new ArrayList<>();
			for (String index : only.split(",")) {
				chosen.add(subjects.get(Integer.parseInt(index.trim()) - 1));
			}
			subjects = chosen;
		}
		List<Scenario> scenarios = List.of(new Scenario("uncontended acquire+release, 1 thread", 1, 1, false),
				new Scenario("uncontended acquire+release, 8 threads on 8 keys", 8, 1, false),
				new Scenario("contended handoff, 4 threads on 1 key, 1 instance", 4, 1, true),
				new Scenario("contended handoff, 4 instances x 1 thread on 1 key", 4, 4, true));

		System.out.printf(Locale.ROOT, "distlock benchmark: Redis %s, Java %s, %d CPUs visible%n", redisUrl,
				System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
		System.out.println("Redlock nodes: " + redlockNodes);
		System.out.printf(Locale.ROOT, "warm-up %.1f s + measure %.1f s per case and subject; latencies in microseconds%n",
				warmup.toMillis() / 1000.0, measure.toMillis() / 1000.0);
		System.out.println("uncontended: latency = one acquire+release; contended: latency = wait to acquire, "
				+ "rate = critical sections/s; CPU/op = JVM CPU time per operation (robust on a shared machine)");
		String run = "distlock-bench:" + UUID.randomUUID().toString().substring(0, 8) + ":";
		// JIT-compile the shared client and library code for every subject before measuring anything,
		// so the first subject measured does not pay for the others' compilation.
		Scenario jitWarmup = new Scenario("JIT warm-up", 4, 1, false);
		for (int i = 0; i < subjects.size(); i++) {
			jitWarmup.run(subjects.get(i), run + "warmup:" + i + ":", Duration.ZERO, warmup.plus(warmup));
		}
		String cases = option(args, "cases", "1,2,3,4");
		for (int s = 0; s < scenarios.size(); s++) {
			if (!("," + cases + ",").contains("," + (s + 1) + ",")) {
				continue;
			}
			Scenario scenario = scenarios.get(s);
			List<Scenario.Result> results = new ArrayList<>();
			for (int i = 0; i < subjects.size(); i++) {
				String keyPrefix = run + s + ":" + i + ":";
				results.add(scenario.run(subjects.get(i), keyPrefix, warmup, measure));
			}
			print(scenario, results);
		}
		if (!"false".equals(option(args, "aspect-overhead", "true"))) {
			AspectOverhead.run(20, 20_000);
		}
		if (!"false".equals(option(args, "coordination", "true"))) {
			CoordinationCost.run(redisUrl, 10, 2_000);
		}
	}

	private static void print(Scenario scenario, List<Scenario.Result> results) {
		System.out.println();
		System.out.println("== " + scenario.title());
		System.out.printf(Locale.ROOT, "   %-50s %9s %9s %9s %9s %9s   %s%n", "subject", "ops/s", "p50", "p99",
				"p99.9", "CPU/op", "vs its floor: rate / p50 / p99 / CPU");
		// Each subject is compared with the floor listed last before it: the floor of its own backend.
		Scenario.Result floor = results.get(0);
		for (Scenario.Result result : results) {
			if (result.subject().startsWith("floor:")) {
				floor = result;
			}
			String ratio = String.format(Locale.ROOT, "%.2f / %.2f / %.2f / %.2f", result.perSecond() / floor.perSecond(),
					result.latencies().percentileMicros(50) / floor.latencies().percentileMicros(50),
					result.latencies().percentileMicros(99) / floor.latencies().percentileMicros(99),
					result.cpuMicrosPerOperation() / floor.cpuMicrosPerOperation());
			String shares = scenario.sharedKey() && result.threadOperations().length > 1
					? String.format(Locale.ROOT, "   thread shares min/max %.2f", result.threadShareRatio()) : "";
			System.out.printf(Locale.ROOT, "   %-50s %9.0f %9.1f %9.1f %9.1f %9.1f   %s%s%n", result.subject(),
					result.perSecond(), result.latencies().percentileMicros(50), result.latencies().percentileMicros(99),
					result.latencies().percentileMicros(99.9), result.cpuMicrosPerOperation(), ratio, shares);
		}
		if (scenario.threads() > 1) {
			System.out.println("   operations per thread, fewest / most (a starved thread shows as a low fewest):");
			for (Scenario.Result result : results) {
				System.out.printf(Locale.ROOT, "   %-50s %9d / %d%n", result.subject(), result.fewestByOneThread(),
						result.mostByOneThread());
			}
		}
	}

	private static String option(String[] args, String name, String fallback) {
		for (String arg : args) {
			if (arg.startsWith("--" + name + "=")) {
				return arg.substring(name.length() + 3);
			}
		}
		return fallback;
	}

}
