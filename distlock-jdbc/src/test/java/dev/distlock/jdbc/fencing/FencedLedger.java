package dev.distlock.jdbc.fencing;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.distlock.FencedResource;

/**
 * A protected resource for the tests: a ledger table written in one transaction with the fence
 * check. The write comes first, so a refused check proves that it rolls the write back.
 */
final class FencedLedger {

	static final String TABLE = "distlock_fence_test_ledger";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final FencedResource fence;

	FencedLedger(DataSource dataSource, FencedResource fence) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.fence = fence;
	}

	void createTable() {
		this.jdbc.execute("CREATE TABLE IF NOT EXISTS " + TABLE
				+ " (resource VARCHAR(500) NOT NULL, writer VARCHAR(100) NOT NULL)");
	}

	/** Writes and checks with the current thread's lock, in one transaction. */
	void write(String resource, String writer) {
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.update("INSERT INTO " + TABLE + " (resource, writer) VALUES (?, ?)", resource, writer);
			this.fence.check(resource);
		});
	}

	List<String> writers(String resource) {
		return this.jdbc.queryForList("SELECT writer FROM " + TABLE + " WHERE resource = ?", String.class, resource);
	}

}
