package dev.distlock.test;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.distlock.FencedResource;

/**
 * A protected resource for {@link FencedResourceContractTest}s whose resource lives in a database: a
 * ledger table written in one transaction with the fence check. The write comes first, so a refused
 * check proves that it rolls the write back. Needs {@code spring-jdbc} on the test class path.
 */
public final class JdbcFencedLedger {

	private final String table;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final FencedResource fence;

	/**
	 * A ledger in {@code table}, checked by {@code fence}.
	 * @param dataSource where the table lives
	 * @param fence the check made in the write's transaction
	 * @param table the ledger's table, created by {@link #createTable()}
	 */
	public JdbcFencedLedger(DataSource dataSource, FencedResource fence, String table) {
		this.table = table;
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.fence = fence;
	}

	/** The ledger's table name. */
	public String table() {
		return this.table;
	}

	public void createTable() {
		this.jdbc.execute("CREATE TABLE IF NOT EXISTS " + this.table
				+ " (resource VARCHAR(500) NOT NULL, writer VARCHAR(100) NOT NULL)");
	}

	/** Writes and checks with the current thread's lock, in one transaction. */
	public void write(String resource, String writer) {
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.update("INSERT INTO " + this.table + " (resource, writer) VALUES (?, ?)", resource, writer);
			this.fence.check(resource);
		});
	}

	/** Who wrote to the resource, in no particular order. */
	public List<String> writers(String resource) {
		return this.jdbc.queryForList("SELECT writer FROM " + this.table + " WHERE resource = ?", String.class, resource);
	}

}
