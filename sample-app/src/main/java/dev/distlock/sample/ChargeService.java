package dev.distlock.sample;

import org.springframework.stereotype.Service;

import dev.distlock.DistributedLocked;
import dev.distlock.LockContext;
import dev.distlock.LockHandle;

/**
 * Charges an order at most once, whichever instance and thread the request reaches.
 */
@Service
public class ChargeService {

	private final OrderCharges charges;

	private final InstanceInfo instance;

	public ChargeService(OrderCharges charges, InstanceInfo instance) {
		this.charges = charges;
		this.instance = instance;
	}

	/**
	 * The check-then-charge below is only safe because no other instance runs it for the same order
	 * at the same time; the fencing token guards the write against a holder whose lease was lost.
	 */
	@DistributedLocked(key = "#orderId", waitTime = "${sample.charge.wait-time:10s}")
	public ChargeResult charge(long orderId) {
		if (this.charges.isCharged(orderId)) {
			return ChargeResult.ALREADY_CHARGED;
		}
		LockHandle lock = LockContext.current().orElseThrow();
		lock.checkValid();
		return this.charges.recordCharge(orderId, lock.fencingToken(), this.instance.id()) ? ChargeResult.CHARGED
				: ChargeResult.FENCED_OFF;
	}

	/** The outcome of a charge request. */
	public enum ChargeResult {

		CHARGED, ALREADY_CHARGED, FENCED_OFF

	}

}
