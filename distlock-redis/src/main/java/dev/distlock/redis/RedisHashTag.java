package dev.distlock.redis;

/**
 * Turns any string into the text between the braces of a Redis Cluster hash tag, the way lock keys
 * are built ({@code <prefix>{<tag>}}): {@code \ { }} and lone surrogates are escaped, so distinct
 * strings give distinct tags, the tag is never empty, and keys stay readable in {@code redis-cli}.
 * For other distlock keys that must be built like lock keys (fencing).
 */
public final class RedisHashTag {

	private RedisHashTag() {
	}

	/**
	 * The hash tag of a string.
	 * @param text any string
	 * @return the escaped text, to be put between {@code {}} and {@code }}
	 */
	public static String of(String text) {
		return RedisLockKeys.tag(text);
	}

}
