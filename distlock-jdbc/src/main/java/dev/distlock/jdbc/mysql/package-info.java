/**
 * The {@code mysql} provider: MySQL and MariaDB named locks ({@code GET_LOCK}) on dedicated
 * connections, fencing tokens from a per-lock counter row.
 */
@NullMarked
package dev.distlock.jdbc.mysql;

import org.jspecify.annotations.NullMarked;
