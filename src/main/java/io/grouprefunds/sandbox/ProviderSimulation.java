package io.grouprefunds.sandbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpHandler;

/**
 * A provider the sandbox simulates. Each sub-package ({@code rapyd}, {@code issuer}) implements it and lists itself
 * in {@code META-INF/services}, so {@link SandboxServer} finds them with {@link java.util.ServiceLoader} and names
 * none: the shared parts never depend on a provider, and the providers not on each other.
 */
public interface ProviderSimulation {

	/** Creates the provider with the faults, lifecycle and clock of {@code settings}, and its API. */
	Mounted mount(SandboxSettings settings);

	/**
	 * A provider ready to serve.
	 *
	 * @param contextPath the path its API is served under, e.g. {@code /v1/}
	 * @param basePath what a client appends to the server's URL to make the provider's base URL ({@code ""},
	 * {@code /api})
	 * @param clientKeys the {@code refunds.<provider>.*} credentials a job needs to call it, base URL aside
	 */
	record Mounted(AbstractSimulatedProvider provider, String contextPath, HttpHandler handler, String basePath,
			Map<String, String> clientKeys) {

		public Mounted {
			// In the order given: the job's settings are listed as the provider lists them.
			clientKeys = Collections.unmodifiableMap(new LinkedHashMap<>(clientKeys));
		}

	}

}
