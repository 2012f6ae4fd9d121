package io.grouprefunds.sandbox.issuer;

import java.util.LinkedHashMap;
import java.util.Map;

import io.grouprefunds.sandbox.IssuerSandboxSettings;
import io.grouprefunds.sandbox.ProviderSimulation;
import io.grouprefunds.sandbox.SandboxSettings;

/** Mounts the simulated card issuer under {@code /api/}; found by the sandbox server through {@code META-INF/services}. */
public final class IssuerSimulation implements ProviderSimulation {

	@Override
	public Mounted mount(SandboxSettings settings) {
		IssuerSandbox sandbox = new IssuerSandbox(settings.faults(), settings.lifecycle(), settings.clock());
		IssuerSandboxSettings issuer = settings.issuer();
		IssuerHandler handler = new IssuerHandler(sandbox, issuer, new IssuerJson());
		Map<String, String> keys = new LinkedHashMap<>();
		keys.put("refunds.issuer.company-id", issuer.companyId());
		keys.put("refunds.issuer.api-key", issuer.apiKey());
		return new Mounted(sandbox, IssuerHandler.BASE_PATH + "/", handler, IssuerHandler.BASE_PATH, keys);
	}

}
