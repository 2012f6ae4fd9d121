package io.grouprefunds.provider;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The refund objects this process has already seen listed on each recent group, so an adapter can tell a refund
 * answer's own parts from the earlier refunds the same answer lists. Rows of one group are sent one after the other,
 * so what the previous answer (or a query) about a group showed is never the next request's. Bounded: the groups
 * least recently used are forgotten, and the ledger's attribution rule still applies.
 */
public final class RecentParts {

	private final Map<String, Set<String>> byGroup;

	public RecentParts(int groups) {
		this.byGroup = new LinkedHashMap<>(256, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
				return size() > groups;
			}

		};
	}

	/** The part ids seen on the group so far; then {@code shown} are remembered as seen too. */
	public synchronized Set<String> seenThenAdd(String groupId, Collection<String> shown) {
		Set<String> seen = byGroup.computeIfAbsent(groupId, k -> new HashSet<>());
		Set<String> before = Set.copyOf(seen);
		seen.addAll(shown);
		return before;
	}

}
