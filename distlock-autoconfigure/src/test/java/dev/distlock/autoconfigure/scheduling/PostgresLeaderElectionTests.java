package dev.distlock.autoconfigure.scheduling;

/** Leader election on the {@code postgres} advisory-lock provider (session-scoped). */
class PostgresLeaderElectionTests extends LeaderElectionContractTests {

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { TestBackends.Jdbc.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "spring.datasource.url=" + TestBackends.POSTGRES_URL,
				"spring.datasource.username=" + TestBackends.POSTGRES_USER, "spring.datasource.hikari.maximum-pool-size=2",
				"distlock.provider=postgres", "distlock.jdbc.initialize-schema=always" };
	}

}
