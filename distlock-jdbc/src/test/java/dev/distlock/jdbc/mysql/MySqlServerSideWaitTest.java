package dev.distlock.jdbc.mysql;

import dev.distlock.jdbc.session.ServerSideWaitBehaviourTest;
import dev.distlock.jdbc.session.TestDatabases;

/** The {@code mysql} provider waiting on a real MariaDB: {@code GET_LOCK(name, seconds)}. */
class MySqlServerSideWaitTest extends ServerSideWaitBehaviourTest {

	MySqlServerSideWaitTest() {
		super(TestDatabases.MYSQL);
	}

}
