package dev.distlock.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.distlock.jdbc.fencing.JdbcFencedResource;

/**
 * What {@code FencedResource.check} adds to a protected write on PostgreSQL: the same transaction
 * (one {@code INSERT}) run {@code N} times without and with a fence check before the write, one
 * thread, alternating rounds so drift on a shared machine hits both alike. Reports statements
 * prepared per transaction (counted on the connections) and latency per transaction.
 *
 * <pre>
 * ./mvnw -B -q -Pbenchmarks -pl distlock-benchmarks -am package -DskipTests
 * java -cp distlock-benchmarks/target/benchmarks.jar dev.distlock.benchmarks.FencedWriteCost \
 *     [--url=jdbc:postgresql://127.0.0.1:5432/test] [--user=postgres] [--transactions=2000] [--rounds=5]
 * </pre>
 *
 * Uses the tables {@code distlock_bench_fence} and {@code distlock_bench_charges}, dropped at the end.
 */
public final class FencedWriteCost {

	private static final String FENCE_TABLE = "distlock_bench_fence";

	private static final String CHARGES_TABLE = "distlock_bench_charges";

	/** Resources the fenced writes spread over; each has its row after the warm-up (the steady state). */
	private static final int RESOURCES = 100;

	private FencedWriteCost() {
	}

	public static void main(String[] args) {
		String url = option(args, "url", System.getenv().getOrDefault("DISTLOCK_BENCH_POSTGRES_URL",
				System.getenv().getOrDefault("DISTLOCK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test")));
		String user = option(args, "user", System.getenv().getOrDefault("DISTLOCK_TEST_POSTGRES_USER", "postgres"));
		int transactions = Integer.parseInt(option(args, "transactions", "2000"));
		int rounds = Integer.parseInt(option(args, "rounds", "5"));

		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername(user);
		config.setPassword(option(args, "password", System.getenv().getOrDefault("DISTLOCK_TEST_POSTGRES_PASSWORD", "")));
		config.setMaximumPoolSize(1);
		try (HikariDataSource pool = new HikariDataSource(config)) {
			CountingDataSource dataSource = new CountingDataSource(pool);
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("CREATE TABLE IF NOT EXISTS " + CHARGES_TABLE + " (order_id BIGINT NOT NULL, token BIGINT NOT NULL)");
			JdbcFencedResource fence = new JdbcFencedResource(dataSource, FENCE_TABLE);
			fence.initializeSchema();
			TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
			AtomicLong tokens = new AtomicLong();
			Runnable plain = () -> tx.executeWithoutResult((status) -> {
				long token = tokens.incrementAndGet();
				jdbc.update("INSERT INTO " + CHARGES_TABLE + " (order_id, token) VALUES (?, ?)", token % RESOURCES, token);
			});
			Runnable fenced = () -> tx.executeWithoutResult((status) -> {
				long token = tokens.incrementAndGet();
				fence.check("order:" + (token % RESOURCES), token);
				jdbc.update("INSERT INTO " + CHARGES_TABLE + " (order_id, token) VALUES (?, ?)", token % RESOURCES, token);
			});
			try {
				// Warm-up: JIT, the pool's connection, and every resource's fence row.
				run(plain, transactions);
				run(fenced, Math.max(transactions, RESOURCES));
				List<long[]> plainRounds = new ArrayList<>();
				List<long[]> fencedRounds = new ArrayList<>();
				dataSource.statements.set(0);
				for (int round = 0; round < rounds; round++) {
					plainRounds.add(run(plain, transactions));
					fencedRounds.add(run(fenced, transactions));
				}
				report(url, transactions, rounds, plainRounds, fencedRounds, dataSource);
			}
			finally {
				jdbc.execute("DROP TABLE " + CHARGES_TABLE);
				jdbc.execute("DROP TABLE " + FENCE_TABLE);
			}
		}
	}

	/** Runs {@code count} transactions; returns {statements prepared, total nanos, then each latency}. */
	private static long[] run(Runnable transaction, int count) {
		long[] latencies = new long[count];
		for (int i = 0; i < count; i++) {
			long begin = System.nanoTime();
			transaction.run();
			latencies[i] = System.nanoTime() - begin;
		}
		return latencies;
	}

	private static void report(String url, int transactions, int rounds, List<long[]> plainRounds,
			List<long[]> fencedRounds, CountingDataSource dataSource) {
		Latencies plain = merge(plainRounds);
		Latencies fenced = merge(fencedRounds);
		long total = (long) transactions * rounds;
		// Statements were counted over both kinds together: the plain transaction prepares exactly one.
		double fencedStatements = (dataSource.statements.get() - total) / (double) total;
		System.out.printf(Locale.ROOT, "fenced write cost on %s: %d rounds x %d transactions each, 1 thread, Java %s%n",
				url, rounds, transactions, System.getProperty("java.version"));
		System.out.printf(Locale.ROOT, "%-34s %10s %10s %10s %10s%n", "transaction", "statements", "p50 us", "p90 us",
				"p99 us");
		System.out.printf(Locale.ROOT, "%-34s %10.2f %10.1f %10.1f %10.1f%n", "INSERT", 1.0, plain.percentileMicros(50),
				plain.percentileMicros(90), plain.percentileMicros(99));
		System.out.printf(Locale.ROOT, "%-34s %10.2f %10.1f %10.1f %10.1f%n", "check(resource, token) + INSERT",
				fencedStatements, fenced.percentileMicros(50), fenced.percentileMicros(90), fenced.percentileMicros(99));
		System.out.printf(Locale.ROOT, "added by the check: %+.2f statements, p50 %+.1f us (x%.2f per transaction)%n",
				fencedStatements - 1, fenced.percentileMicros(50) - plain.percentileMicros(50),
				fenced.percentileMicros(50) / plain.percentileMicros(50));
	}

	private static Latencies merge(List<long[]> rounds) {
		List<Latencies> parts = new ArrayList<>();
		for (long[] round : rounds) {
			Latencies part = new Latencies();
			for (long nanos : round) {
				part.add(nanos);
			}
			parts.add(part);
		}
		return Latencies.merge(parts);
	}

	private static String option(String[] args, String name, String fallback) {
		for (String arg : args) {
			if (arg.startsWith("--" + name + "=")) {
				return arg.substring(name.length() + 3);
			}
		}
		return fallback;
	}

	/** Counts statements prepared on its connections; every call reaches the real database. */
	private static final class CountingDataSource extends DelegatingDataSource {

		private static final Set<String> STATEMENT_METHODS = Set.of("prepareStatement", "prepareCall", "createStatement");

		final AtomicLong statements = new AtomicLong();

		CountingDataSource(DataSource target) {
			super(target);
		}

		@Override
		public Connection getConnection() throws SQLException {
			Connection connection = super.getConnection();
			return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
					(proxy, method, arguments) -> {
						if (STATEMENT_METHODS.contains(method.getName())) {
							this.statements.incrementAndGet();
						}
						try {
							return method.invoke(connection, arguments);
						}
						catch (InvocationTargetException ex) {
							throw ex.getTargetException();
						}
					});
		}

	}

}
