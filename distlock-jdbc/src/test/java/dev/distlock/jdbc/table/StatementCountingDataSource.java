package dev.distlock.jdbc.table;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A real data source that counts the statements prepared on its connections, so tests can prove
 * how many statements an operation sends. Not a mock: every call reaches the real database.
 */
public final class StatementCountingDataSource extends DelegatingDataSource {

	private static final Set<String> STATEMENT_METHODS = Set.of("prepareStatement", "prepareCall", "createStatement");

	private final AtomicInteger statements = new AtomicInteger();

	public StatementCountingDataSource(DataSource target) {
		super(target);
	}

	public int statements() {
		return this.statements.get();
	}

	public void resetCount() {
		this.statements.set(0);
	}

	@Override
	public Connection getConnection() throws SQLException {
		return counting(super.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return counting(super.getConnection(username, password));
	}

	private Connection counting(Connection connection) {
		return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				(proxy, method, args) -> {
					if (STATEMENT_METHODS.contains(method.getName())) {
						this.statements.incrementAndGet();
					}
					try {
						return method.invoke(connection, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getTargetException();
					}
				});
	}

}
