/**
 * The {@code jdbc-table} provider: leases kept as rows of one table, on any JDBC database, with
 * expiry judged by the database's clock. On PostgreSQL waiters are woken by {@code LISTEN/NOTIFY}
 * and at the holder's lease expiry, and hand-offs between instances are fair; on every other
 * database waiters poll with back-off.
 */
@NullMarked
package dev.distlock.jdbc.table;

import org.jspecify.annotations.NullMarked;
