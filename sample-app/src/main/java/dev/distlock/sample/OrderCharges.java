package dev.distlock.sample;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The payment ledger. {@link ChargeService} guards its writes with distlock's {@code FencedResource}
 * (resource {@code order:<id>}), in the same transaction, so a holder whose lease was lost cannot
 * write after a newer holder.
 */
@Repository
public class OrderCharges {

	private final JdbcClient jdbc;

	private final Clock clock;

	public OrderCharges(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	public boolean isCharged(long orderId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM charges WHERE order_id = ?").param(orderId).query(Long.class).single() > 0;
	}

	/** Records a charge made under the lock with the given fencing token (checked by the caller's fence). */
	public void record(long orderId, long fencingToken, String instance) {
		this.jdbc.sql("INSERT INTO charges (order_id, fencing_token, instance_id, charged_at) VALUES (?, ?, ?, ?)")
			.params(orderId, fencingToken, instance, java.sql.Timestamp.from(Instant.now(this.clock)))
			.update();
	}

	public List<Charge> charges(long orderId) {
		return this.jdbc.sql("SELECT order_id, fencing_token, instance_id, charged_at FROM charges WHERE order_id = ?")
			.param(orderId)
			.query((rs, row) -> new Charge(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4).toInstant()))
			.list();
	}

	/** One charge of an order. */
	public record Charge(long orderId, long fencingToken, String instance, Instant chargedAt) {
	}

}
