package dev.distlock.sample;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.distlock.DistributedLocked;
import dev.distlock.LockContext;
import dev.distlock.LockHandle;

/**
 * Moves money between two accounts. Both accounts are locked, in one global order (ascending lock
 * id), whichever way round the transfer goes, so two opposite transfers never deadlock; the
 * read-then-write below is only safe because of those locks.
 */
@Service
public class AccountTransfers {

	private final JdbcClient jdbc;

	public AccountTransfers(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@DistributedLocked(name = "account", key = "{#from, #to}", waitTime = "${sample.transfer.wait-time:10s}")
	public Transfer transfer(long from, long to, long amount) {
		if (from == to || amount <= 0) {
			throw new IllegalArgumentException("a transfer needs two different accounts and a positive amount");
		}
		long fromBalance = balance(from);
		long toBalance = balance(to);
		this.jdbc.sql("UPDATE accounts SET balance = ? WHERE id = ?").params(fromBalance - amount, from).update();
		this.jdbc.sql("UPDATE accounts SET balance = ? WHERE id = ?").params(toBalance + amount, to).update();
		return new Transfer(from, to, amount, LockContext.all().stream().map(LockHandle::lockId).toList());
	}

	/** Every account's balance, by id. */
	public Map<Long, Long> balances() {
		Map<Long, Long> balances = new TreeMap<>();
		this.jdbc.sql("SELECT id, balance FROM accounts").query((row) -> {
			balances.put(row.getLong(1), row.getLong(2));
		});
		return balances;
	}

	private long balance(long account) {
		return this.jdbc.sql("SELECT balance FROM accounts WHERE id = ?")
			.param(account)
			.query(Long.class)
			.optional()
			.orElseThrow(() -> new IllegalArgumentException("no account " + account));
	}

	/**
	 * A completed transfer.
	 *
	 * @param from the debited account
	 * @param to the credited account
	 * @param amount how much moved
	 * @param locks the lock ids held during it, in the order they were taken
	 */
	public record Transfer(long from, long to, long amount, List<String> locks) {
	}

}
