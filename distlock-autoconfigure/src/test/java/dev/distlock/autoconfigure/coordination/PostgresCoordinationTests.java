package dev.distlock.autoconfigure.coordination;

import dev.distlock.autoconfigure.scheduling.TestBackends;

/**
 * Permits and several keys on the {@code postgres} advisory-lock provider: session-scoped, so the
 * threads of one instance share a session that would grant one permit slot twice unless the engine
 * keeps them apart.
 */
class PostgresCoordinationTests extends CoordinationContractTests {

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
