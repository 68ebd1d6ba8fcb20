package dev.distlock.it.worker;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.distlock.FencedResource;
import dev.distlock.StaleFencingTokenException;
import dev.distlock.jdbc.fencing.JdbcFencedResource;
import dev.distlock.jdbc.sql.SqlStatements;

/**
 * The protected resource of the fault suite, the sample's ledger pattern: a counter row per lock,
 * read, then (after the work gap, outside any transaction) written back plus one. Both the read and
 * the write pass the fence check of the lock's token in their transaction, so the resource refuses
 * a holder whose token is lower than one it has seen — a second holder granted while the first was
 * frozen shows as the first one's refused write. Every accepted write is recorded with the value it
 * read, so a lost update (two holders at once, neither refused) shows as two accepted writes that
 * read the same value.
 */
public final class FencedLedger {

	/** The fence's table, next to the ledger's. */
	public static final String FENCE_TABLE = "it_fence";

	private static final SqlStatements<LedgerStatement> SQL = SqlStatements.load(LedgerStatement.class,
			"dev/distlock/it/worker/");

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final FencedResource fence;

	private final String worker;

	FencedLedger(DataSource dataSource, String worker) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.fence = new JdbcFencedResource(dataSource, FENCE_TABLE);
		this.worker = worker;
	}

	/**
	 * The counter's value, read after the fence check of {@code token}: the resource learns of a
	 * newer holder when it reads, not only when it writes, so an older holder's write still in
	 * flight (frozen between its check and its commit) is ordered before this read, and an older
	 * holder writing after it is refused.
	 * @return the value, or -1 if the fence refused the token (the refusal is recorded)
	 */
	long read(String resource, long token, boolean late) {
		try {
			return this.transactions.execute((status) -> {
				this.fence.check(resource, token);
				Long value = this.jdbc.queryForObject(SQL.sql(LedgerStatement.READ_VALUE), Long.class, resource);
				if (value == null) {
					throw new IllegalStateException("No ledger row for " + resource + ": the suite seeds one per lock");
				}
				return value;
			});
		}
		catch (StaleFencingTokenException ex) {
			recordRefusal(resource, token, ex, late);
			return -1;
		}
	}

	/**
	 * Writes {@code valueRead + 1} with the fence check of {@code token}, or records the refusal.
	 * @return whether the write was accepted
	 */
	boolean write(String resource, long valueRead, long token, boolean late) {
		try {
			this.transactions.executeWithoutResult((status) -> {
				this.fence.check(resource, token);
				this.jdbc.update(SQL.sql(LedgerStatement.WRITE_VALUE), valueRead + 1, resource);
				this.jdbc.update(SQL.sql(LedgerStatement.RECORD_WRITE), resource, token, valueRead, this.worker, late,
						System.currentTimeMillis());
			});
			return true;
		}
		catch (StaleFencingTokenException ex) {
			recordRefusal(resource, token, ex, late);
			return false;
		}
	}

	private void recordRefusal(String resource, long token, StaleFencingTokenException refusal, boolean late) {
		this.jdbc.update(SQL.sql(LedgerStatement.RECORD_REFUSAL), resource, token, refusal.getStoredToken(),
				this.worker, late, System.currentTimeMillis());
	}

}
