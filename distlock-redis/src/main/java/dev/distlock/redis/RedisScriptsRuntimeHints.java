package dev.distlock.redis;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The Lua scripts the {@code redis} provider and the Redis fenced resource load from the classpath,
 * registered for AOT-processed applications and native images (registered in
 * {@code META-INF/spring/aot.factories}).
 */
public class RedisScriptsRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern("dev/distlock/redis/*.lua");
		hints.resources().registerPattern("dev/distlock/redis/fencing/*.lua");
	}

}
