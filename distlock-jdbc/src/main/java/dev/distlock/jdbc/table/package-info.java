/**
 * The {@code jdbc-table} provider: leases kept as rows of one table, on any JDBC database, with
 * expiry judged by the database's clock.
 */
@NullMarked
package dev.distlock.jdbc.table;

import org.jspecify.annotations.NullMarked;
