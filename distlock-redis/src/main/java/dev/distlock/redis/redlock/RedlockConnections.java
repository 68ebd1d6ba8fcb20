package dev.distlock.redis.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.distlock.redis.RedisLockProvider;

/**
 * Redlock nodes from {@code distlock.redlock.nodes}: one Lettuce connection factory per
 * {@code redis://} URL, owned (and closed) by the Redlock provider, with the command timeout bounded
 * by the node timeout so a dead node never holds a call longer than that.
 */
public final class RedlockConnections {

	private static final Duration WARM_UP_BOUND = Duration.ofSeconds(15);

	private RedlockConnections() {
	}

	/**
	 * Connects to each URL.
	 * @param urls {@code redis://[user:password@]host:port[/db]} or {@code rediss://} URLs of at least
	 * 3 distinct independent masters
	 * @param keyPrefix {@code distlock.redis.key-prefix}
	 * @param nodeTimeout the bound of one call to one node
	 * @return the nodes, each with its own connection factory
	 * @throws IllegalArgumentException naming {@code distlock.redlock.nodes} when the list is unusable
	 */
	public static List<RedlockNode> connect(List<String> urls, String keyPrefix, Duration nodeTimeout) {
		validate(urls);
		List<RedlockNode> nodes = new ArrayList<>(urls.size());
		for (String url : urls) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					LettuceConnectionFactory.createRedisConfiguration(url.trim()),
					LettuceClientConfiguration.builder().commandTimeout(nodeTimeout).build());
			factory.afterPropertiesSet();
			nodes.add(new RedlockNode(withoutCredentials(url.trim()), new RedisLockProvider(factory, keyPrefix),
					factory::destroy));
		}
		warmUp(nodes, nodeTimeout);
		return nodes;
	}

	/**
	 * Opens every node's connection now, in parallel, so the first grant does not spend its validity
	 * window connecting. A node down now is not an error: it is retried on every call.
	 */
	private static void warmUp(List<RedlockNode> nodes, Duration nodeTimeout) {
		// Connecting (and a cold JVM's first use of the client) takes longer than a command: a bound
		// of its own. A refused connection fails at once, so an unreachable node costs nothing.
		Duration bound = (nodeTimeout.compareTo(WARM_UP_BOUND) > 0) ? nodeTimeout : WARM_UP_BOUND;
		try (ParallelNodeCalls calls = new ParallelNodeCalls(nodes.size(), bound)) {
			calls.call(nodes, (node) -> {
				node.provider().checkHealth();
				return null;
			});
		}
	}

	static void validate(List<String> urls) {
		if (urls.size() < 3) {
			throw new IllegalArgumentException("distlock.redlock.nodes needs at least 3 independent Redis masters "
					+ "(comma-separated redis:// URLs), not " + urls.size() + ": " + urls);
		}
		Set<String> seen = new HashSet<>();
		for (String url : urls) {
			String trimmed = url.trim();
			if (!trimmed.startsWith("redis://") && !trimmed.startsWith("rediss://")) {
				throw new IllegalArgumentException(
						"distlock.redlock.nodes: '" + trimmed + "' is not a redis:// or rediss:// URL");
			}
			if (!seen.add(trimmed)) {
				throw new IllegalArgumentException("distlock.redlock.nodes lists '" + withoutCredentials(trimmed)
						+ "' twice: Redlock needs distinct, independent masters");
			}
		}
	}

	/** A URL fit for messages: no password. */
	static String withoutCredentials(String url) {
		int at = url.lastIndexOf('@');
		int scheme = url.indexOf("://");
		return (at < 0 || scheme < 0) ? url : url.substring(0, scheme + 3) + url.substring(at + 1);
	}

}
