package io.grouprefunds.sandbox;

/**
 * The status of one refund part, with Rapyd's names on the wire. Money has moved (or is held) while a part is
 * {@code Pending} or {@code Completed}; a {@code Rejected} part gave it back, an {@code Error} or {@code Cancelled}
 * part never took it.
 */
public enum RefundStatus {

	PENDING("Pending"), COMPLETED("Completed"), REJECTED("Rejected"), ERROR("Error"), CANCELLED("Cancelled");

	private final String wire;

	RefundStatus(String wire) {
		this.wire = wire;
	}

	/** Rapyd's name: {@code Pending}, {@code Completed}… */
	public String wire() {
		return wire;
	}

	/** Whether the part's amount counts as refunded: it is Pending or Completed. */
	public boolean holdsMoney() {
		return this == PENDING || this == COMPLETED;
	}

}
