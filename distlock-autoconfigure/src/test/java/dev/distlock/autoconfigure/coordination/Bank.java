package dev.distlock.autoconfigure.coordination;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.distlock.autoconfigure.scheduling.TestBackends;

/**
 * Accounts as rows of a PostgreSQL table of the test's own, read and written without any database
 * locking or atomic update: each transfer reads both balances and writes both back, so only the
 * distributed locks keep concurrent transfers from losing updates.
 */
final class Bank {

	private final String table;

	Bank(String table) {
		this.table = table;
	}

	void open(List<Long> accounts, long balance) throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("DROP TABLE IF EXISTS " + this.table);
			statement.execute("CREATE TABLE " + this.table + " (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
			for (long account : accounts) {
				statement.execute("INSERT INTO " + this.table + " VALUES (" + account + ", " + balance + ")");
			}
		}
	}

	void drop() throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("DROP TABLE IF EXISTS " + this.table);
		}
	}

	/** Read, read, write, write: a lost update whenever two transfers on one account interleave. */
	void transfer(long from, long to, long amount) throws SQLException {
		try (Connection connection = connect()) {
			long fromBalance = balance(connection, from);
			long toBalance = balance(connection, to);
			Thread.yield();
			write(connection, from, fromBalance - amount);
			write(connection, to, toBalance + amount);
		}
	}

	Map<Long, Long> balances() throws SQLException {
		Map<Long, Long> balances = new TreeMap<>();
		try (Connection connection = connect(); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT id, balance FROM " + this.table)) {
			while (rows.next()) {
				balances.put(rows.getLong(1), rows.getLong(2));
			}
		}
		return balances;
	}

	private long balance(Connection connection, long account) throws SQLException {
		try (PreparedStatement select = connection.prepareStatement("SELECT balance FROM " + this.table + " WHERE id = ?")) {
			select.setLong(1, account);
			try (ResultSet row = select.executeQuery()) {
				if (!row.next()) {
					throw new IllegalStateException("no account " + account);
				}
				return row.getLong(1);
			}
		}
	}

	private void write(Connection connection, long account, long balance) throws SQLException {
		try (PreparedStatement update = connection.prepareStatement("UPDATE " + this.table + " SET balance = ? WHERE id = ?")) {
			update.setLong(1, balance);
			update.setLong(2, account);
			update.executeUpdate();
		}
	}

	private static Connection connect() throws SQLException {
		return DriverManager.getConnection(TestBackends.POSTGRES_URL, TestBackends.POSTGRES_USER, "");
	}

}
