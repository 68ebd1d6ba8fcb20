package dev.distlock.jdbc.fencing;

import java.sql.SQLException;
import java.util.UUID;

import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;

import dev.distlock.jdbc.DatabaseKind;

/**
 * {@link JdbcFencedResource} on H2 (standard SQL, one {@code MERGE} per check), served over TCP so
 * the child holder process shares the in-memory database.
 */
class H2JdbcFencedResourceTests extends JdbcFencedResourceContractTests {

	private final Server server;

	private final String url;

	H2JdbcFencedResourceTests() throws SQLException {
		this.server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
		this.url = "jdbc:h2:tcp://127.0.0.1:" + this.server.getPort() + "/mem:fence-"
				+ UUID.randomUUID().toString().substring(0, 8) + ";DB_CLOSE_DELAY=-1";
	}

	@AfterAll
	void stopServer() {
		this.server.stop();
	}

	@Override
	protected String url() {
		return this.url;
	}

	@Override
	protected String user() {
		return "sa";
	}

	@Override
	protected String password() {
		return "";
	}

	@Override
	protected DatabaseKind databaseKind() {
		return DatabaseKind.H2;
	}

	@Override
	protected String schemaFile() {
		return "classpath:dev/distlock/jdbc/fencing/schema-h2.sql";
	}

	@Override
	protected int statementsPerRecordedCheck() {
		return 1;
	}

}
