package io.grouprefunds.provider;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The provider-specific part of row validation: how its group ids look, whether an amount is required, which
 * currencies it takes (empty set: any ISO 4217 currency with a minor unit).
 */
public record RowRules(Pattern groupIdPattern, String groupIdDescription, boolean amountRequired,
		Set<String> currencies) {
}
