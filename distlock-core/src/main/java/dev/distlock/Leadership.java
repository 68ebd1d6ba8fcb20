package dev.distlock;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * This instance's membership of a leader-election group (from {@link LeaderElection#join}).
 * Closing it leaves the group, releasing leadership if held.
 */
public interface Leadership extends AutoCloseable {

	/** The group's name. */
	String group();

	/**
	 * Whether this instance leads the group right now: it holds the group's lock and its lease is
	 * confirmed for at least a moment longer by the local monotonic clock.
	 */
	boolean isLeader();

	/**
	 * The fencing token of the current term while this instance leads. Terms strictly increase per
	 * group across the cluster, so a resource can refuse a deposed leader.
	 * @return the term, or empty while this instance does not lead
	 */
	OptionalLong term();

	/**
	 * Waits until this instance leads or the timeout passes.
	 * @return whether this instance leads
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	boolean awaitLeadership(Duration timeout) throws InterruptedException;

	/**
	 * Gives leadership up at once (releasing the group's lock so another candidate takes over) and
	 * campaigns again only after {@code distlock.leader.lease-time}. Does nothing if not leading.
	 */
	void stepDown();

	/** Leaves the group, releasing leadership if held; idempotent. */
	@Override
	void close();

}
