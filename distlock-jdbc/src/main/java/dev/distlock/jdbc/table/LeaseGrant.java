package dev.distlock.jdbc.table;

import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;

import dev.distlock.jdbc.postgres.AdvisoryLockKey;
import dev.distlock.spi.LeaseRequest;

/**
 * One acquisition attempt on the lease table, in as few statements as the dialect allows:
 * PostgreSQL's single {@code acquire} (insert or take over, returning the token), elsewhere
 * {@code take-over} then {@code select-token} for an existing free row, or {@code insert} for a lock
 * never used before. Never waits: a held row means busy.
 */
final class LeaseGrant {

	private static final ResultSetExtractor<OptionalLong> FIRST_TOKEN = (rows) -> rows.next()
			? OptionalLong.of(rows.getLong("fencing_token")) : OptionalLong.empty();

	private final NamedParameterJdbcOperations jdbc;

	LeaseGrant(NamedParameterJdbcOperations jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param announce whether a grant is announced to the instance that released the lock before
	 * (PostgreSQL; see {@link Handoffs})
	 * @return the new fencing token, or empty if another owner holds the lease
	 * @throws org.springframework.dao.DataAccessException if the database fails
	 */
	OptionalLong attempt(TableDialect dialect, LeaseRequest request, boolean announce) {
		StoredLockId id = StoredLockId.of(request.lockId());
		MapSqlParameterSource parameters = new MapSqlParameterSource().addValue("lockKey", id.key())
			.addValue("lockId", id.text())
			.addValue("owner", request.owner())
			.addValue("leaseMillis", JdbcTableLockProvider.leaseMillis(request.leaseTime()));
		OptionalLong token;
		if (dialect.grantsInOneStatement()) {
			parameters.addValue("announce", announce)
				.addValue("notifyKey", String.valueOf(AdvisoryLockKey.of(request.lockId())));
			token = this.jdbc.query(dialect.sql(TableStatement.ACQUIRE), parameters, FIRST_TOKEN);
		}
		else {
			token = takeOverOrInsert(dialect, parameters);
		}
		return (token != null) ? token : OptionalLong.empty();
	}

	private @Nullable OptionalLong takeOverOrInsert(TableDialect dialect, MapSqlParameterSource parameters) {
		if (this.jdbc.update(dialect.sql(TableStatement.TAKE_OVER), parameters) == 1) {
			// Empty only if the lease was lost again between the two statements.
			return this.jdbc.query(dialect.sql(TableStatement.SELECT_TOKEN), parameters, FIRST_TOKEN);
		}
		try {
			// A new row: rows are never deleted, so no grant came before. No row inserted (MySQL's
			// INSERT IGNORE) or a duplicate key: the row exists and its lease is held.
			boolean inserted = this.jdbc.update(dialect.sql(TableStatement.INSERT), parameters) == 1;
			return inserted ? OptionalLong.of(1) : OptionalLong.empty();
		}
		catch (DuplicateKeyException ex) {
			return OptionalLong.empty();
		}
	}

}
