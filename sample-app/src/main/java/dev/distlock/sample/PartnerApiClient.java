package dev.distlock.sample;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Service;

import dev.distlock.DistributedLocked;
import dev.distlock.LockContext;

/**
 * Calls a partner API that allows three concurrent calls from all our instances together: the
 * permits are the cluster-wide limit, so no instance needs to know how many others run.
 */
@Service
public class PartnerApiClient {

	private final AtomicInteger inFlightHere = new AtomicInteger();

	/** Stands in for the partner's latency. */
	@DistributedLocked(name = "partner-api", permits = 3, waitTime = "${sample.partner.wait-time:10s}")
	public Quote quote(String sku) throws InterruptedException {
		int inFlight = this.inFlightHere.incrementAndGet();
		try {
			TimeUnit.MILLISECONDS.sleep(200);
			return new Quote(sku, LockContext.current().orElseThrow().fencingToken(), inFlight);
		}
		finally {
			this.inFlightHere.decrementAndGet();
		}
	}

	/**
	 * A partner quote.
	 *
	 * @param sku what was quoted
	 * @param permitToken the fencing token of the permit the call held
	 * @param inFlightHere calls in flight on this instance, this one included (at most 3)
	 */
	public record Quote(String sku, long permitToken, int inFlightHere) {
	}

}
