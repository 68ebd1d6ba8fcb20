package dev.distlock.sample;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.distlock.DistributedLocked;
import dev.distlock.FencedResource;
import dev.distlock.LockContext;

/**
 * Charges an order at most once, whichever instance and thread the request reaches.
 */
@Service
public class ChargeService {

	private final OrderCharges charges;

	private final FencedResource fencedResource;

	private final InstanceInfo instance;

	public ChargeService(OrderCharges charges, FencedResource fencedResource, InstanceInfo instance) {
		this.charges = charges;
		this.fencedResource = fencedResource;
		this.instance = instance;
	}

	/**
	 * The check-then-charge below is only safe because no other instance runs it for the same order
	 * at the same time. The lock alone cannot stop a holder that was paused past its lease from
	 * writing late: the fence check can. It runs in this method's transaction, so a refused check
	 * ({@code StaleFencingTokenException}) rolls the charge back, and a charge that fails leaves the
	 * fence as it was.
	 */
	@DistributedLocked(key = "#orderId", waitTime = "${sample.charge.wait-time:10s}")
	@Transactional
	public ChargeResult charge(long orderId) {
		if (this.charges.isCharged(orderId)) {
			return ChargeResult.ALREADY_CHARGED;
		}
		this.fencedResource.check("order:" + orderId);
		this.charges.record(orderId, LockContext.current().orElseThrow().fencingToken(), this.instance.id());
		return ChargeResult.CHARGED;
	}

	/** The outcome of a charge request. */
	public enum ChargeResult {

		CHARGED, ALREADY_CHARGED,

		/** A newer lock holder had already written: this one's lock was lost and nothing was charged. */
		FENCED_OFF

	}

}
