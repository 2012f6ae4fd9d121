package io.grouprefunds.provider;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The provider-specific part of row validation: how its group ids look, whether an amount is required, which
 * currencies it takes (empty set: any ISO 4217 currency with a minor unit), and how long an amount may be once
 * written at the currency's scale (0: no limit).
 */
public record RowRules(Pattern groupIdPattern, String groupIdDescription, boolean amountRequired,
		Set<String> currencies, int maxAmountLength) {

	/** Rules with no limit on the amount's length. */
	public RowRules(Pattern groupIdPattern, String groupIdDescription, boolean amountRequired, Set<String> currencies) {
		this(groupIdPattern, groupIdDescription, amountRequired, currencies, 0);
	}

	/** Whether a group id has this provider's shape; used to tell which provider a file was meant for. */
	public boolean looksLikeGroupId(String groupId) {
		return groupId != null && groupIdPattern.matcher(groupId).matches();
	}

}
