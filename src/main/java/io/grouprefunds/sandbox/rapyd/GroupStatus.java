package io.grouprefunds.sandbox.rapyd;

import java.util.Arrays;

/** A group payment's status, with the status Rapyd shows on each of its payments. */
enum GroupStatus {

	CLOSED("closed", "CLO"), ACTIVE("active", "ACT");

	private final String wire;

	private final String paymentWire;

	GroupStatus(String wire, String paymentWire) {
		this.wire = wire;
		this.paymentWire = paymentWire;
	}

	String wire() {
		return wire;
	}

	String paymentWire() {
		return paymentWire;
	}

	static GroupStatus parse(String text) {
		return Arrays.stream(values())
			.filter((status) -> status.wire.equals(text))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("status must be closed or active: " + text));
	}

}
