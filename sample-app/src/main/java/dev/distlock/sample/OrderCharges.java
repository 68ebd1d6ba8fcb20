package dev.distlock.sample;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The payment ledger: a fencing-aware resource. It stores the highest fencing token it has seen per
 * order and refuses a write carrying a lower one, so a holder whose lease was lost cannot overwrite
 * a newer holder's work.
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

	/**
	 * Records the charge if the fencing token is not older than the newest one seen for the order.
	 * @return false if a newer lock holder already wrote (this holder was fenced off)
	 */
	public boolean recordCharge(long orderId, long fencingToken, String instance) {
		int fenced = this.jdbc
			.sql("UPDATE order_fence SET fencing_token = ? WHERE order_id = ? AND fencing_token <= ?")
			.params(fencingToken, orderId, fencingToken)
			.update();
		if (fenced == 0) {
			int inserted = this.jdbc
				.sql("INSERT INTO order_fence (order_id, fencing_token) SELECT ?, ? WHERE NOT EXISTS "
						+ "(SELECT 1 FROM order_fence WHERE order_id = ?)")
				.params(orderId, fencingToken, orderId)
				.update();
			if (inserted == 0) {
				return false;
			}
		}
		this.jdbc.sql("INSERT INTO charges (order_id, fencing_token, instance_id, charged_at) VALUES (?, ?, ?, ?)")
			.params(orderId, fencingToken, instance, java.sql.Timestamp.from(Instant.now(this.clock)))
			.update();
		return true;
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
