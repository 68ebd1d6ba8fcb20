package dev.distlock.autoconfigure.scheduling;

/** Leader election on the {@code mysql} provider ({@code GET_LOCK}, session-scoped) on MariaDB. */
class MySqlLeaderElectionTests extends LeaderElectionContractTests {

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
