package dev.distlock;

import org.springframework.context.ApplicationEvent;

/**
 * Published on an instance that has just stopped leading a group: it stepped down, left the group,
 * or its lease could not be renewed (then it campaigns again).
 */
public class LeadershipRevokedEvent extends ApplicationEvent {

	private final String group;

	private final long term;

	private final String reason;

	public LeadershipRevokedEvent(Object source, String group, long term, String reason) {
		super(source);
		this.group = group;
		this.term = term;
		this.reason = reason;
	}

	/** The group. */
	public String group() {
		return this.group;
	}

	/** The term that ended. */
	public long term() {
		return this.term;
	}

	/** Why it ended, for people: {@code stepped down}, {@code left the group}, {@code lease lost: ...}. */
	public String reason() {
		return this.reason;
	}

	@Override
	public String toString() {
		return "LeadershipRevokedEvent[group=" + this.group + ", term=" + this.term + ", reason=" + this.reason + "]";
	}

}
