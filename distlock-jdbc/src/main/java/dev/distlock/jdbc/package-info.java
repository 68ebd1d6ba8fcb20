/**
 * JDBC lock providers and what they share, such as telling which database a
 * {@link javax.sql.DataSource} talks to.
 */
@NullMarked
package dev.distlock.jdbc;

import org.jspecify.annotations.NullMarked;
