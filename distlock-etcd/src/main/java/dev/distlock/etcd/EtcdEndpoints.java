package dev.distlock.etcd;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** Parses the comma-separated member URLs of {@code distlock.etcd.endpoints}, naming a bad one. */
final class EtcdEndpoints {

	private EtcdEndpoints() {
	}

	/**
	 * @param endpoints e.g. {@code http://127.0.0.1:2379,http://127.0.0.1:22379}
	 * @throws IllegalArgumentException naming the entry that is not an {@code http(s)://host:port} URL
	 */
	static List<URI> parse(String endpoints) {
		List<URI> uris = new ArrayList<>();
		for (String entry : endpoints.split(",")) {
			String trimmed = entry.trim();
			if (trimmed.isEmpty()) {
				continue;
			}
			try {
				URI uri = new URI(trimmed);
				if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
						|| uri.getPort() < 0) {
					throw new URISyntaxException(trimmed, "not an http(s)://host:port URL");
				}
				uris.add(uri);
			}
			catch (URISyntaxException ex) {
				// The URI's own complaint is in the message; as a cause it would hide which setting was wrong.
				throw new IllegalArgumentException("etcd endpoint '" + trimmed + "' in '" + endpoints
						+ "' is not an http(s)://host:port URL (" + ex.getReason() + ")");
			}
		}
		if (uris.isEmpty()) {
			throw new IllegalArgumentException("No etcd endpoint in '" + endpoints + "'");
		}
		return uris;
	}

}
