package dev.distlock.jdbc.table;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When an instance holds back from a lock it released, so other instances' waiters get their turn. */
class HandoffsTests {

	private final Handoffs handoffs = new Handoffs();

	@Test
	void holdsBackAfterReleasingALockWonWhileWaitingFromAnotherInstance() {
		this.handoffs.granted("k", "a#1", 1, false);
		this.handoffs.released("k", "a#1");
		this.handoffs.granted("k", "a#2", 3, true);
		this.handoffs.released("k", "a#2");
		assertThat(this.handoffs.holdsBack("k")).isTrue();
		this.handoffs.beforeAttempt("k", 42, (announcement, listener) -> {
			listener.run();
			return () -> {
			};
		});
		assertThat(this.handoffs.holdsBack("k")).as("used up by the next attempt").isFalse();
	}

	@Test
	void doesNotHoldBackWhenNobodyElseHadTheLockSinceItsOwnLastGrant() {
		this.handoffs.granted("k", "a#1", 1, true);
		this.handoffs.released("k", "a#1");
		this.handoffs.granted("k", "a#2", 2, true);
		this.handoffs.released("k", "a#2");
		assertThat(this.handoffs.holdsBack("k")).isFalse();
	}

	@Test
	void doesNotHoldBackAfterAGrantItDidNotWaitFor() {
		this.handoffs.granted("k", "a#1", 1, false);
		this.handoffs.released("k", "a#1");
		this.handoffs.granted("k", "a#2", 5, false);
		this.handoffs.released("k", "a#2");
		assertThat(this.handoffs.holdsBack("k")).isFalse();
	}

	@Test
	void aFirstGrantHasNothingToCompareWith() {
		this.handoffs.granted("k", "a#1", 7, true);
		this.handoffs.released("k", "a#1");
		assertThat(this.handoffs.holdsBack("k")).isFalse();
	}

	@Test
	void keepsNoMoreThanABoundedNumberOfKeys() {
		for (int i = 0; i < Handoffs.MAX_KEYS * 3; i++) {
			this.handoffs.granted("k" + i, "a#" + i, 1, true);
		}
		assertThat(this.handoffs.trackedKeys()).isLessThanOrEqualTo(Handoffs.MAX_KEYS);
	}

}
