package io.grouprefunds.sandbox.faults;

/**
 * The faults drawn for one request.
 *
 * @param faults the settings drawn from, so a request keeps them even if they are switched meanwhile
 * @param beforeApply what answers instead of the provider, nothing applied: {@code OUTAGE}, {@code RATE_LIMITED},
 * {@code TOO_MANY_REQUESTS} or {@code ERROR_BEFORE_APPLY}; {@code null} for none
 * @param afterApply what happens to the answer once the refund is applied: {@code ERROR_AFTER_APPLY},
 * {@code SLOW_AFTER_APPLY} or {@code DROP_AFTER_APPLY}; {@code null} for none
 * @param errorStatus the HTTP status of an {@code ERROR_AFTER_APPLY}, 500 or 502
 */
public record FaultDecision(SandboxFaults faults, long latencyMs, FaultKind beforeApply, FaultKind afterApply,
		int errorStatus) {
}
