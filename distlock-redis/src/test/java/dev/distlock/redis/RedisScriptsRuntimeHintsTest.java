package dev.distlock.redis;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** An AOT-processed application can load every Lua script the module ships. */
class RedisScriptsRuntimeHintsTest {

	@Test
	void everyShippedScriptIsRegisteredThroughAotFactories() throws IOException {
		RuntimeHints hints = new RuntimeHints();
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, getClass().getClassLoader()));
		Resource[] scripts = new PathMatchingResourcePatternResolver().getResources("classpath*:dev/distlock/redis/**/*.lua");
		assertThat(scripts).hasSizeGreaterThan(5);
		for (Resource script : scripts) {
			String path = script.getURL().toString().replaceFirst("^.*?(dev/distlock/redis/)", "$1");
			assertThat(RuntimeHintsPredicates.resource().forResource(path)).as(path).accepts(hints);
		}
	}

}
