package dev.distlock.spi;

import java.time.Duration;

/**
 * One acquisition attempt.
 *
 * @param lockId the lock id (any non-blank string: providers escape or hash it, never concatenate it)
 * @param owner a token unique to this grant, e.g. {@code host:pid:random#42}; the part before the
 * last {@code #} is the instance id
 * @param leaseTime how long the lease lives unless extended; positive
 */
public record LeaseRequest(String lockId, String owner, Duration leaseTime) {

}
