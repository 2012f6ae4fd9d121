package io.grouprefunds.provider.issuer;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@link IssuerProperties} bound as the application binds them, defaults included, from a few settings. */
final class IssuerSettings {

	private IssuerSettings() {
	}

	/** The defaults, with company 4101 and key TEST_API_KEY, then {@code overrides} ("name", "value", …). */
	static IssuerProperties bind(String... overrides) {
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("refunds.issuer.company-id", "4101");
		settings.put("refunds.issuer.api-key", "TEST_API_KEY");
		for (int i = 0; i < overrides.length; i += 2) {
			settings.put(overrides[i], overrides[i + 1]);
		}
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("refunds.issuer",
				IssuerProperties.class);
	}

}
