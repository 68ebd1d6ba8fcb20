package dev.distlock.jdbc.sql;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** An AOT-processed application can load every SQL statement and schema the module ships. */
class SqlResourcesRuntimeHintsTests {

	@Test
	void everyShippedSqlFileIsRegisteredThroughAotFactories() throws IOException {
		RuntimeHints hints = new RuntimeHints();
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, getClass().getClassLoader()));
		Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath*:dev/distlock/jdbc/**/*.sql");
		assertThat(files).hasSizeGreaterThan(20);
		for (Resource file : files) {
			String path = file.getURL().toString().replaceFirst("^.*?(dev/distlock/jdbc/)", "$1");
			assertThat(RuntimeHintsPredicates.resource().forResource(path)).as(path).accepts(hints);
		}
	}

}
