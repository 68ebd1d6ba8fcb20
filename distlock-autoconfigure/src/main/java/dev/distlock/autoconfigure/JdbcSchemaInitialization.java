package dev.distlock.autoconfigure;

import javax.sql.DataSource;

import org.springframework.util.ClassUtils;

import dev.distlock.autoconfigure.DistlockProperties.InitializeSchema;

/**
 * Whether distlock creates its tables on a DataSource, per {@code distlock.jdbc.initialize-schema}
 * (Spring Boot's own modes: {@code always}, {@code embedded}, {@code never}).
 */
final class JdbcSchemaInitialization {

	private static final boolean bootJdbcPresent = ClassUtils.isPresent(
			"org.springframework.boot.jdbc.EmbeddedDatabaseConnection", JdbcSchemaInitialization.class.getClassLoader());

	private final InitializeSchema mode;

	private final DataSource dataSource;

	JdbcSchemaInitialization(InitializeSchema mode, DataSource dataSource) {
		this.mode = mode;
		this.dataSource = dataSource;
	}

	boolean shouldInitialize() {
		return this.mode == InitializeSchema.ALWAYS
				|| (this.mode == InitializeSchema.EMBEDDED && bootJdbcPresent && isEmbedded(this.dataSource));
	}

	private static boolean isEmbedded(DataSource dataSource) {
		try {
			return org.springframework.boot.jdbc.EmbeddedDatabaseConnection.isEmbedded(dataSource);
		}
		catch (RuntimeException ex) {
			// The database is down: an embedded one never is, so it is a server.
			return false;
		}
	}

}
