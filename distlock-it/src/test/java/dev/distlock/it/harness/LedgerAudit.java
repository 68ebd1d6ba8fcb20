package dev.distlock.it.harness;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import dev.distlock.it.worker.FencedLedger;
import dev.distlock.jdbc.fencing.JdbcFencedResource;
import dev.distlock.jdbc.sql.SqlStatements;

/**
 * The suite's view of the fenced ledger the workers write, on the machine's PostgreSQL (which the
 * suite never faults): what was accepted, what the fence refused, and whether an accepted write
 * lost another's update.
 */
public final class LedgerAudit {

	private static final SqlStatements<LedgerStatement> SQL = SqlStatements.load(LedgerStatement.class,
			"dev/distlock/it/harness/");

	private final String url;

	private final String username;

	private final JdbcTemplate jdbc;

	public LedgerAudit() {
		this.url = System.getenv().getOrDefault("DISTLOCK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
		this.username = System.getenv().getOrDefault("DISTLOCK_TEST_POSTGRES_USER", "postgres");
		DataSource dataSource = new DriverManagerDataSource(this.url, this.username,
				System.getenv().getOrDefault("DISTLOCK_TEST_POSTGRES_PASSWORD", ""));
		this.jdbc = new JdbcTemplate(dataSource);
		new ResourceDatabasePopulator(new ClassPathResource("dev/distlock/it/worker/schema.sql")).execute(dataSource);
		new JdbcFencedResource(dataSource, FencedLedger.FENCE_TABLE).initializeSchema();
	}

	/** The workers' {@code worker.ledger.*} properties. */
	List<String> workerArguments() {
		return List.of("--worker.ledger.url=" + this.url, "--worker.ledger.username=" + this.username,
				"--worker.ledger.password=" + System.getenv().getOrDefault("DISTLOCK_TEST_POSTGRES_PASSWORD", ""));
	}

	/** A fresh counter (0) for each lock of a run. */
	void seed(List<String> locks) {
		locks.forEach((lock) -> this.jdbc.update(SQL.sql(LedgerStatement.SEED_COUNTER), lock));
	}

	/** Every accepted write to the lock's counter, in commit order. */
	public List<Write> accepted(String lock) {
		return this.jdbc.query(SQL.sql(LedgerStatement.ACCEPTED_WRITES),
				(rs, row) -> new Write(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getBoolean(5),
						rs.getLong(6)),
				lock);
	}

	/** Every write the fence refused. */
	public List<Refusal> refused(String lock) {
		return this.jdbc.query(SQL.sql(LedgerStatement.REFUSED_WRITES),
				(rs, row) -> new Refusal(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
						rs.getBoolean(5), rs.getLong(6)),
				lock);
	}

	public long counter(String lock) {
		Long value = this.jdbc.queryForObject(SQL.sql(LedgerStatement.COUNTER_VALUE), Long.class, lock);
		return (value != null) ? value : 0;
	}

	/**
	 * The accepted writes that lost an update: each read a value that an earlier accepted write had
	 * already read (two holders inside at once, and the fence let both through).
	 */
	public static List<Write> lostUpdates(List<Write> acceptedInCommitOrder) {
		List<Write> lost = new ArrayList<>();
		long expected = 0;
		for (Write write : acceptedInCommitOrder) {
			if (write.valueBefore() != expected) {
				lost.add(write);
			}
			expected = write.valueBefore() + 1;
		}
		return lost;
	}

	/** Accepted writes whose token is lower than one accepted before (the fence failing). */
	public static long tokenRegressions(List<Write> acceptedInCommitOrder) {
		long highest = 0;
		long regressions = 0;
		for (Write write : acceptedInCommitOrder) {
			if (write.token() < highest) {
				regressions++;
			}
			highest = Math.max(highest, write.token());
		}
		return regressions;
	}

	/** An accepted write. */
	public record Write(String lock, long token, long valueBefore, String worker, boolean late, long at) {
	}

	/** A write the fence refused: a holder whose lock had meanwhile gone to another, writing late. */
	public record Refusal(String lock, long token, long storedToken, String worker, boolean late, long at) {
	}

}
