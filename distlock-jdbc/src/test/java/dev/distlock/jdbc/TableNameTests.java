package dev.distlock.jdbc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.distlock.LockConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The one rule for configured table names. */
class TableNameTests {

	@ParameterizedTest
	@ValueSource(strings = { "distlock_lock", "locks.distlock_lock", "app.locks.distlock_lock", "_x1", "LOCKS" })
	void acceptsPlainIdentifiersOptionallyQualifiedBySchemaAndCatalog(String name) {
		assertThat(TableName.isValid(name)).isTrue();
		assertThat(TableName.check("distlock.jdbc.table-name", name)).isEqualTo(name);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "1locks", "locks; DROP TABLE x", "\"quoted\"", "a..b", "a.", ".a", "lock-table",
			"lock table", "a.b.c.d", "ünï" })
	void refusesAnythingElseNamingThePropertyAndTheValue(String name) {
		assertThat(TableName.isValid(name)).isFalse();
		assertThatExceptionOfType(LockConfigurationException.class)
			.isThrownBy(() -> TableName.check("distlock.jdbc.table-name", name))
			.withMessageStartingWith("distlock.jdbc.table-name '" + name + "' is not a plain SQL table name");
	}

}
