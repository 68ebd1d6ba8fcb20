package dev.distlock.leader;

/** Where a candidate reports that its leadership began or ended (on the thread where it changed). */
interface LeadershipEvents {

	void granted(Candidate candidate, long term);

	void revoked(Candidate candidate, long term, String reason);

}
