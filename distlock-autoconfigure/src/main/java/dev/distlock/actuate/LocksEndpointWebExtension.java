package dev.distlock.actuate;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import dev.distlock.actuate.LocksEndpoint.ForceReleaseDescriptor;

/**
 * HTTP status codes for the {@link LocksEndpoint}'s force-release: {@code 403} when it is disabled,
 * {@code 404} when nobody held the lock, {@code 501} when the provider cannot do it.
 */
@EndpointWebExtension(endpoint = LocksEndpoint.class)
public class LocksEndpointWebExtension {

	private static final int STATUS_FORBIDDEN = 403;

	private static final int STATUS_NOT_IMPLEMENTED = 501;

	private final LocksEndpoint delegate;

	public LocksEndpointWebExtension(LocksEndpoint delegate) {
		this.delegate = delegate;
	}

	@DeleteOperation
	public WebEndpointResponse<ForceReleaseDescriptor> forceRelease(
			@Selector(match = Match.ALL_REMAINING) String[] lock, @Nullable String provider,
			SecurityContext securityContext) {
		ForceReleaseDescriptor result = this.delegate.forceRelease(lock, provider, securityContext);
		int status = switch (result.outcome()) {
			case RELEASED -> WebEndpointResponse.STATUS_OK;
			case NOT_HELD -> WebEndpointResponse.STATUS_NOT_FOUND;
			case REFUSED -> STATUS_FORBIDDEN;
			case UNSUPPORTED -> STATUS_NOT_IMPLEMENTED;
		};
		return new WebEndpointResponse<>(result, status);
	}

}
