package dev.distlock.jdbc.sql;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The SQL statements and schema scripts of the JDBC providers and the JDBC fenced resource, loaded
 * from the classpath, registered for AOT-processed applications and native images (registered in
 * {@code META-INF/spring/aot.factories}).
 */
public class SqlResourcesRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern("dev/distlock/jdbc/**/*.sql");
	}

}
