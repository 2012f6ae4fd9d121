package io.grouprefunds.sandbox.rapyd;

import java.util.LinkedHashMap;
import java.util.Map;

import io.grouprefunds.sandbox.ProviderSimulation;
import io.grouprefunds.sandbox.SandboxSettings;

/** Mounts the simulated Rapyd under {@code /v1/}; found by the sandbox server through {@code META-INF/services}. */
public final class RapydSimulation implements ProviderSimulation {

	@Override
	public Mounted mount(SandboxSettings settings) {
		RapydSandbox sandbox = new RapydSandbox(settings.faults(), settings.lifecycle(), settings.clock());
		RapydHandler handler = new RapydHandler(sandbox, settings.rapydAccessKey(), settings.rapydSecretKey(),
				new RapydJson());
		Map<String, String> keys = new LinkedHashMap<>();
		keys.put("refunds.rapyd.access-key", settings.rapydAccessKey());
		keys.put("refunds.rapyd.secret-key", settings.rapydSecretKey());
		return new Mounted(sandbox, RapydHandler.CONTEXT_PATH, handler, "", keys);
	}

}
