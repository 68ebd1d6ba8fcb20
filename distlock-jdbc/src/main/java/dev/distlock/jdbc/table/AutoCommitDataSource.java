package dev.distlock.jdbc.table;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The application's data source as the lease table needs it: every statement commits on its own.
 *
 * <ul>
 * <li>Being a data source of its own, it is a different key for Spring's transaction
 * synchronization, so lease statements never join a transaction the application has open on the
 * calling thread: a grant is visible to other instances at once and is not rolled back with the
 * application's work.
 * <li>Connections from pools configured without auto-commit (for example
 * {@code spring.datasource.hikari.auto-commit=false}) are switched to auto-commit; otherwise the
 * pool would roll every lease change back when the connection is returned. Pools hand connections
 * back in their own default state, so this costs a round trip only on such pools.
 * </ul>
 */
final class AutoCommitDataSource extends DelegatingDataSource {

	AutoCommitDataSource(DataSource application) {
		super(withoutTransactionAwareness(application));
	}

	/** A transaction-aware proxy would hand out the application's transactional connection. */
	private static DataSource withoutTransactionAwareness(DataSource application) {
		if (application instanceof TransactionAwareDataSourceProxy proxy && proxy.getTargetDataSource() != null) {
			return proxy.getTargetDataSource();
		}
		return application;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return autoCommitting(super.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return autoCommitting(super.getConnection(username, password));
	}

	private static Connection autoCommitting(Connection connection) throws SQLException {
		try {
			if (!connection.getAutoCommit()) {
				connection.setAutoCommit(true);
			}
			return connection;
		}
		catch (SQLException ex) {
			connection.close();
			throw ex;
		}
	}

}
