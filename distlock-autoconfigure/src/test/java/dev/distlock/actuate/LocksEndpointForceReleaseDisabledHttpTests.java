package dev.distlock.actuate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code DELETE /actuator/locks/{lock}} over real HTTP when
 * {@code distlock.actuator.force-release-enabled} is left at its default.
 */
@SpringBootTest(classes = LocksEndpointHttpTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "distlock.provider=in-memory", "management.endpoints.web.exposure.include=locks" })
@ExtendWith(OutputCaptureExtension.class)
class LocksEndpointForceReleaseDisabledHttpTests {

	@LocalServerPort
	private int port;

	@Autowired
	private LockTemplate locks;

	@Test
	void refusesToForceReleaseAndTheLockStaysHeld(CapturedOutput output) {
		ActuatorClient actuator = new ActuatorClient(this.port);
		try (LockHandle held = this.locks.acquire(LockRequest.of("job:nightly"))) {
			ActuatorClient.Response response = actuator.delete("/actuator/locks/job:nightly");

			assertThat(response.status()).isEqualTo(403);
			JsonNode body = response.json();
			assertThat(body.get("outcome").asString()).isEqualTo("REFUSED");
			assertThat(body.get("message").asString()).contains("distlock.actuator.force-release-enabled=true");
			assertThat(held.isValid()).isTrue();
			assertThat(actuator.get("/actuator/locks/job:nightly").json().get("held").get("fencingToken").asLong())
				.isEqualTo(held.fencingToken());
			assertThat(output).contains("Refused to force-release lock 'job:nightly' on in-memory requested by "
					+ "an unauthenticated caller");
		}
	}

}
