package dev.distlock.it.worker;

/** The ledger's statements, one file each next to this class ({@code READ_VALUE} is {@code read-value.sql}). */
enum LedgerStatement {

	READ_VALUE, WRITE_VALUE, RECORD_WRITE, RECORD_REFUSAL

}
