package dev.distlock.jdbc.table;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.support.SqlArrayValue;

import dev.distlock.spi.Lease;

/**
 * Extends many leases with as few statements as the database allows (the watchdog renews every
 * held lease at once).
 *
 * <ul>
 * <li>PostgreSQL ({@code extend-all}): one {@code UPDATE ... FROM unnest(arrays) RETURNING} for
 * the whole batch, whatever the lease times: 1 statement.
 * <li>Elsewhere ({@code extend-group}, {@code select-held}): leases are grouped by lease time (the
 * watchdog's leases mostly share one) and each group of up to {@value #MAX_LEASES_PER_STATEMENT}
 * is one {@code UPDATE ... WHERE lock_key IN (...)}. When the update count equals the group size,
 * every lease in it was extended and nothing more is sent; only when some are lost does one
 * {@code SELECT} tell which. So 1,000 leases with one lease time take 1 statement, or 2 when some
 * were lost.
 * </ul>
 */
final class BatchExtension {

	/** Leases per statement outside PostgreSQL: 3 bind parameters each, far below drivers' limits. */
	static final int MAX_LEASES_PER_STATEMENT = 1000;

	private static final RowMapper<HeldBy> HELD_BY = (row, n) -> new HeldBy(row.getString("lock_key"),
			row.getString("owner"));

	private final NamedParameterJdbcOperations jdbc;

	BatchExtension(NamedParameterJdbcOperations jdbc) {
		this.jdbc = jdbc;
	}

	/** The leases still held after extending each by its own lease time. */
	Set<Lease> extend(TableDialect dialect, Collection<Lease> leases) {
		if (leases.isEmpty()) {
			return new LinkedHashSet<>();
		}
		if (dialect.grantsInOneStatement()) {
			return extendInOneStatement(dialect, leases);
		}
		Set<Lease> held = new LinkedHashSet<>();
		for (List<Lease> group : groupsByLeaseTime(leases)) {
			held.addAll(extendGroup(dialect, group));
		}
		return held;
	}

	private Set<Lease> extendInOneStatement(TableDialect dialect, Collection<Lease> leases) {
		int size = leases.size();
		String[] keys = new String[size];
		String[] owners = new String[size];
		Long[] millis = new Long[size];
		int i = 0;
		for (Lease lease : leases) {
			keys[i] = StoredLockId.key(lease.lockId());
			owners[i] = lease.owner();
			millis[i] = JdbcTableLockProvider.leaseMillis(lease.leaseTime());
			i++;
		}
		MapSqlParameterSource parameters = new MapSqlParameterSource()
			.addValue("lockKeys", new SqlArrayValue("varchar", (Object[]) keys))
			.addValue("owners", new SqlArrayValue("varchar", (Object[]) owners))
			.addValue("leaseMillis", new SqlArrayValue("int8", (Object[]) millis));
		Set<HeldBy> extended = new HashSet<>(this.jdbc.query(dialect.sql(TableStatement.EXTEND_ALL), parameters, HELD_BY));
		return stillHeld(leases, extended);
	}

	private Set<Lease> extendGroup(TableDialect dialect, List<Lease> group) {
		List<String> keys = new ArrayList<>(group.size());
		List<Object[]> pairs = new ArrayList<>(group.size());
		for (Lease lease : group) {
			String key = StoredLockId.key(lease.lockId());
			keys.add(key);
			pairs.add(new Object[] { key, lease.owner() });
		}
		MapSqlParameterSource parameters = new MapSqlParameterSource()
			.addValue("leaseMillis", JdbcTableLockProvider.leaseMillis(group.get(0).leaseTime()))
			.addValue("lockKeys", keys)
			.addValue("heldBy", pairs);
		int extended = this.jdbc.update(dialect.sql(TableStatement.EXTEND_GROUP), parameters);
		if (extended == group.size()) {
			// Each lease matches at most one row, so all of them were extended.
			return new LinkedHashSet<>(group);
		}
		return stillHeld(group, new HashSet<>(this.jdbc.query(dialect.sql(TableStatement.SELECT_HELD), parameters, HELD_BY)));
	}

	private static List<List<Lease>> groupsByLeaseTime(Collection<Lease> leases) {
		Map<Long, List<Lease>> byLeaseTime = new LinkedHashMap<>();
		for (Lease lease : leases) {
			byLeaseTime.computeIfAbsent(JdbcTableLockProvider.leaseMillis(lease.leaseTime()), (millis) -> new ArrayList<>())
				.add(lease);
		}
		List<List<Lease>> groups = new ArrayList<>();
		for (List<Lease> sameLeaseTime : byLeaseTime.values()) {
			for (int from = 0; from < sameLeaseTime.size(); from += MAX_LEASES_PER_STATEMENT) {
				groups.add(sameLeaseTime.subList(from, Math.min(from + MAX_LEASES_PER_STATEMENT, sameLeaseTime.size())));
			}
		}
		return groups;
	}

	private static Set<Lease> stillHeld(Collection<Lease> leases, Set<HeldBy> rows) {
		Set<Lease> held = new LinkedHashSet<>();
		for (Lease lease : leases) {
			if (rows.contains(new HeldBy(StoredLockId.key(lease.lockId()), lease.owner()))) {
				held.add(lease);
			}
		}
		return held;
	}

	/** A row of the lease table as far as ownership goes. */
	private record HeldBy(String lockKey, String owner) {

	}

}
