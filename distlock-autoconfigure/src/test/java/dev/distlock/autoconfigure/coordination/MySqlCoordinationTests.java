package dev.distlock.autoconfigure.coordination;

import dev.distlock.autoconfigure.scheduling.TestBackends;

/** Permits and several keys on the {@code mysql} provider ({@code GET_LOCK}, session-scoped) on MariaDB. */
class MySqlCoordinationTests extends CoordinationContractTests {

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { TestBackends.Jdbc.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "spring.datasource.url=" + TestBackends.MYSQL_URL,
				"spring.datasource.username=" + TestBackends.MYSQL_USER, "spring.datasource.hikari.maximum-pool-size=2",
				"distlock.provider=mysql", "distlock.jdbc.initialize-schema=always" };
	}

}
