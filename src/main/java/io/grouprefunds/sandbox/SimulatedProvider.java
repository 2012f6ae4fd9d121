package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.grouprefunds.sandbox.faults.FaultKind;
import io.grouprefunds.sandbox.faults.SandboxFaults;

/**
 * One provider the sandbox simulates, seen from outside: what it applied (the ground truth), what it was asked, and
 * the faults it injects. Lets the command line and the tests treat every provider alike.
 */
public interface SimulatedProvider {

	/** The provider's name, as operators type it ({@code --provider}). */
	String name();

	/** Adds the groups of the provider's sandbox groups file. */
	void loadGroups(Path csv);

	/**
	 * Every refund request accepted, in order. Whether its money moved is in its parts' statuses
	 * ({@link #refundParts()}); with the default lifecycle every part is Completed at once.
	 */
	List<AppliedRefund> appliedRefunds();

	int appliedCount();

	/** Total refunded from a group so far. */
	BigDecimal refundedAmount(String groupId);

	/** Refund requests received, whatever their outcome. */
	int requestCount();

	/**
	 * Refund requests received per idempotency key (Rapyd's {@code idempotency} header, the issuer's
	 * {@code request_id}), whatever their outcome, counted on arrival, before any fault: the ground truth of what was
	 * sent, for the attempt log's tests.
	 */
	Map<String, Integer> requestsByIdempotencyKey();

	/** Calls that create no refund (group and refund queries, Complete Refund), whatever their outcome. */
	int queryCount();

	/** HTTP 429 answers sent, drawn at random or beyond the rate limit. */
	int tooManyRequestsCount();

	/** Faults injected so far, by kind; every kind is present. */
	Map<FaultKind, Long> faultCounts();

	SandboxFaults faults();

	/** Switches the faults for the next requests; outage windows count from now, a seed restarts its sequence. */
	void setFaults(SandboxFaults faults);

	/** How the parts of the refunds it accepts start and settle. */
	RefundLifecycle lifecycle();

	/** Switches the lifecycle of the next refunds accepted; parts already created keep their plan. */
	void setLifecycle(RefundLifecycle lifecycle);

	/** Every refund part created, in order, with its status now: the final truth once all have settled. */
	List<RefundPart> refundParts();

	/** The part with this id (Rapyd refund id, issuer reqNo), if this provider created it. */
	Optional<RefundPart> refundPart(String id);

	/**
	 * Completes a Pending part now, like Rapyd's sandbox "Complete Refund".
	 * @throws java.util.NoSuchElementException when there is no such part
	 * @throws IllegalStateException when it is not Pending
	 */
	RefundPart completeRefund(String id);

	/**
	 * Rejects a Pending part now: its amount goes back to the group.
	 * @throws java.util.NoSuchElementException when there is no such part
	 * @throws IllegalStateException when it is not Pending
	 */
	RefundPart rejectRefund(String id);

	/** Settles every Pending part now, each as its plan says; the number settled. */
	int settleAll();

	/** When each refund request arrived ({@link System#nanoTime}), oldest first, whatever its answer. */
	long[] arrivalNanos();

	/** Rates and the busiest window, from the arrival times and the refunds applied. */
	SandboxStats stats(Duration window);

}
