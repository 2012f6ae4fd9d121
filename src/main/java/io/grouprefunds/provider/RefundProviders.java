package io.grouprefunds.provider;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

/** Every provider adapter in the application, by the name operators type. */
@Component
public class RefundProviders {

	private final Map<String, RefundProvider> byName = new TreeMap<>();

	public RefundProviders(List<RefundProvider> providers) {
		providers.forEach(provider -> byName.put(provider.name(), provider));
	}

	/** @throws UnknownProviderException naming the known providers */
	public RefundProvider get(String name) {
		RefundProvider provider = byName.get(name);
		if (provider == null) {
			throw new UnknownProviderException(name, byName.keySet());
		}
		return provider;
	}

	/** Every provider, by name. */
	public Collection<RefundProvider> all() {
		return byName.values();
	}

}
