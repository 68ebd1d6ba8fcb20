package dev.distlock;

/**
 * A resource refused a fencing token lower than one it had already accepted: the caller's lock was
 * lost (its lease expired while it was paused, or it was force-released) and a newer holder has
 * written since. The caller must not write; inside a transaction, let this exception roll it back.
 */
public class StaleFencingTokenException extends DistributedLockException {

	private final String resource;

	private final long staleToken;

	private final long storedToken;

	/**
	 * @param resource the resource that refused the token
	 * @param staleToken the token it refused
	 * @param storedToken the higher token it had accepted before
	 */
	public StaleFencingTokenException(String resource, long staleToken, long storedToken) {
		super("Resource '" + resource + "' refused fencing token " + staleToken + ": it has already accepted token "
				+ storedToken + " from a newer lock holder, so this holder's lock was lost");
		this.resource = resource;
		this.staleToken = staleToken;
		this.storedToken = storedToken;
	}

	/** The resource that refused the token. */
	public String getResource() {
		return this.resource;
	}

	/** The token it refused. */
	public long getStaleToken() {
		return this.staleToken;
	}

	/** The higher token the resource had accepted before. */
	public long getStoredToken() {
		return this.storedToken;
	}

}
