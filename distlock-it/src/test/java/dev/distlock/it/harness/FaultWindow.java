package dev.distlock.it.harness;

import java.util.List;

/**
 * One injected fault: when it began and when the suite stopped attributing what happened to it,
 * and how long the workers took to be granted again after it.
 * @param kind what was done
 * @param from when it was injected (epoch ms)
 * @param to when its window closed (epoch ms)
 * @param recoveryMillis from the fault's end to the next grant (see each fault), one per affected lock
 * @param landed false for a freeze that came after the critical section ended (tried again)
 */
public record FaultWindow(FaultKind kind, long from, long to, List<Long> recoveryMillis, boolean landed) {

	FaultWindow(FaultKind kind, long from, long to, List<Long> recoveryMillis) {
		this(kind, from, to, recoveryMillis, true);
	}

	boolean contains(long at) {
		return at >= this.from && at < this.to;
	}

}
