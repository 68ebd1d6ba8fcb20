package dev.distlock.engine;

/**
 * Who asked for a lock, for operators and metrics.
 *
 * @param lockName the static lock name without a per-call key (bounded cardinality, for metric tags)
 * @param source the annotated method ({@code com.example.Billing.charge}) or {@code LockTemplate}
 */
public record LockOrigin(String lockName, String source) {

	/** Source name of locks taken through {@link dev.distlock.LockTemplate}. */
	public static final String TEMPLATE_SOURCE = "LockTemplate";

	/**
	 * The origin of a {@link dev.distlock.LockTemplate} request: its lock name for metrics is the id
	 * up to the first {@code :}, so {@code order:42} and {@code order:43} share the tag {@code order}.
	 */
	public static LockOrigin template(String lockId) {
		int colon = lockId.indexOf(':');
		return new LockOrigin((colon > 0) ? lockId.substring(0, colon) : lockId, TEMPLATE_SOURCE);
	}

}
