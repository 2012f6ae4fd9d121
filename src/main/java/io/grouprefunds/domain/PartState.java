package io.grouprefunds.domain;

/** What a provider's refund part status means for the row, whatever the provider calls it. */
public enum PartState {

	/** Not final yet (Rapyd {@code Pending}, the issuer's pending statuses, or a status this job does not know). */
	PENDING,
	/** The money went back (Rapyd {@code Completed}, the issuer's succeeded statuses). */
	COMPLETED,
	/** No money moved, or it was given back (Rapyd {@code Rejected}, {@code Error}, {@code Cancelled}). */
	FAILED

}
