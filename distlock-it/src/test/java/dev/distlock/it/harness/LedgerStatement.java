package dev.distlock.it.harness;

/** The audit's statements, one file each next to this class. */
enum LedgerStatement {

	SEED_COUNTER, COUNTER_VALUE, ACCEPTED_WRITES, REFUSED_WRITES

}
