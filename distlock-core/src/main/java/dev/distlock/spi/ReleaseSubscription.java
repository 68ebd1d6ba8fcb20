package dev.distlock.spi;

/**
 * Registration of a listener for release notifications; closing it stops delivery.
 */
@FunctionalInterface
public interface ReleaseSubscription extends AutoCloseable {

	/** A subscription that delivers nothing. */
	ReleaseSubscription NONE = () -> {
	};

	@Override
	void close();

}
