package io.grouprefunds.ledger;

import java.time.Instant;
import java.util.List;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.Settlement;

/**
 * What settling one row from the provider's current word did: its status before and after, and each of its parts
 * that is new or changed status, with when the provider says it changed.
 */
public record RowChange(long rowId, RowStatus before, Settlement after, List<PartChange> parts) {

	/** One part seen for the first time ({@code before} null) or with a new status. */
	public record PartChange(String partId, String before, String after, Instant providerChangedAt) {
	}

	public boolean statusChanged() {
		return before != after.status();
	}

}
