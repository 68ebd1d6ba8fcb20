package dev.distlock.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The provider's Lua scripts, loaded once from the {@code .lua} files beside this class. Spring's
 * script executor runs them by SHA ({@code EVALSHA}) and falls back to {@code EVAL} when a node
 * does not know a script yet (first use, restart, another cluster node).
 */
final class RedisLockScripts {

	/** Set-if-absent with a TTL plus a fresh fencing token: token, or 0 when busy. */
	static final RedisScript<Long> ACQUIRE = script("acquire.lua", Long.class);

	/** Compare the grant (owner, token) and {@code PEXPIRE}: 1 or 0. */
	static final RedisScript<Long> EXTEND = script("extend.lua", Long.class);

	/** Many compare-grant-and-{@code PEXPIRE}s over keys of one slot: a list of 1/0. */
	@SuppressWarnings("rawtypes")
	static final RedisScript<List> EXTEND_ALL = script("extend-all.lua", List.class);

	/** Compare the grant (owner, token), delete and publish: 1 or 0. */
	static final RedisScript<Long> RELEASE = script("release.lua", Long.class);

	/** Compare the grant (owner, node token), stamp the chosen token and raise the counter: 1 or 0. */
	static final RedisScript<Long> FENCE = script("fence.lua", Long.class);

	/** Delete whoever holds it and publish: 1 or 0. */
	static final RedisScript<Long> FORCE_RELEASE = script("force-release.lua", Long.class);

	/** Owner, token and expiry of one lock, or null. */
	@SuppressWarnings("rawtypes")
	static final RedisScript<List> INSPECT = script("inspect.lua", List.class);

	private RedisLockScripts() {
	}

	private static <T> RedisScript<T> script(String name, Class<T> resultType) {
		ClassPathResource resource = new ClassPathResource(name, RedisLockScripts.class);
		try {
			// The text is read once: a script on a resource checks the resource for changes on every
			// call, which costs a jar lookup per lock operation.
			return new DefaultRedisScript<>(resource.getContentAsString(StandardCharsets.UTF_8), resultType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read Redis script " + resource, ex);
		}
	}

}
