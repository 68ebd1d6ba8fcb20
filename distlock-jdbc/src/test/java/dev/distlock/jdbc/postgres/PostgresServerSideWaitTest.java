package dev.distlock.jdbc.postgres;

import dev.distlock.jdbc.session.ServerSideWaitBehaviourTest;
import dev.distlock.jdbc.session.TestDatabases;

/** The {@code postgres} provider waiting on a real PostgreSQL: {@code pg_advisory_lock} under {@code lock_timeout}. */
class PostgresServerSideWaitTest extends ServerSideWaitBehaviourTest {

	PostgresServerSideWaitTest() {
		super(TestDatabases.POSTGRES);
	}

}
