-- Schema of the 'postgres' lock provider. Idempotent; run in one transaction.
-- Concurrent initializers queue on a transaction-scoped advisory lock (released at commit), because
-- CREATE ... IF NOT EXISTS alone can still fail when two sessions create the same object at once.
SELECT pg_advisory_xact_lock(7255493541020946689);

-- Fencing tokens: one sequence for the whole database, so a token is larger than every token granted
-- before it, for any lock, across releases, crashes and restarts.
CREATE SEQUENCE IF NOT EXISTS distlock_fencing_seq;

-- Who holds which advisory lock, for operators (listLocks, inspect, forceRelease). Written in the same
-- statement that takes the lock and deleted in the one that releases it. A row only counts while
-- pg_locks shows its backend holding its key; rows of crashed sessions are ignored and cleaned up
-- when a lock connection opens. UNLOGGED: no WAL per grant; after a server crash the table is empty,
-- as is the set of held advisory locks.
CREATE UNLOGGED TABLE IF NOT EXISTS distlock_advisory_holders (
	lock_key bigint NOT NULL,
	pid integer NOT NULL,
	lock_id bytea NOT NULL,
	owner text NOT NULL,
	fencing_token bigint NOT NULL,
	acquired_at timestamptz NOT NULL,
	PRIMARY KEY (lock_key, pid)
);
