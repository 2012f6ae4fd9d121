package io.grouprefunds.provider;

import java.util.Set;

import io.grouprefunds.domain.ConfigurationException;

/** A provider name no adapter answers to: a configuration mistake (exit 7), named with the providers there are. */
public class UnknownProviderException extends ConfigurationException {

	public UnknownProviderException(String name, Set<String> known) {
		super("unknown provider '" + name + "'; known: " + known);
	}

}
