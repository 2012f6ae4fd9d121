package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One provider the sandbox simulates, seen from outside: what it applied (the ground truth), what it was asked, and
 * the faults it injects. Lets the command line and the tests treat every provider alike.
 */
public interface SimulatedProvider {

	/** The provider's name, as operators type it ({@code --provider}). */
	String name();

	/** Adds the groups of the provider's sandbox groups file. */
	void loadGroups(Path csv);

	/** Every refund applied, in the order applied: what the provider actually did. */
	List<AppliedRefund> appliedRefunds();

	int appliedCount();

	/** Total refunded from a group so far. */
	BigDecimal refundedAmount(String groupId);

	/** Refund requests received, whatever their outcome. */
	int requestCount();

	/** Group queries received, whatever their outcome. */
	int queryCount();

	/** HTTP 429 answers sent, drawn at random or beyond the rate limit. */
	int tooManyRequestsCount();

	/** Faults injected so far, by kind; every kind is present. */
	Map<FaultKind, Long> faultCounts();

	SandboxFaults faults();

	/** Switches the faults for the next requests; outage windows count from now, a seed restarts its sequence. */
	void setFaults(SandboxFaults faults);

}
