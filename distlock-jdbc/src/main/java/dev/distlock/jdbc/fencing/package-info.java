/**
 * Fencing at the resource on any JDBC database: a table of the highest fencing token accepted per
 * resource, checked in the caller's transaction.
 */
@NullMarked
package dev.distlock.jdbc.fencing;

import org.jspecify.annotations.NullMarked;
