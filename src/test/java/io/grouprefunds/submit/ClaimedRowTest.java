package io.grouprefunds.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.SubmitOutcome;
import io.grouprefunds.ledger.AttemptLog;
import io.grouprefunds.ledger.LedgerRow;

import org.junit.jupiter.api.Test;

/**
 * When {@code refund_row.attempts} may stay as the claim counted it ({@link ClaimedRow#claimCounted}) and when it must
 * be recounted from the attempt rows: only one claim and one answer that counts may skip the recount.
 */
class ClaimedRowTest {

	private static final SubmitOutcome ACCEPTED = SubmitOutcome.of(RowStatus.SUCCEEDED, 200, "op-1", null, null, null);

	private static final SubmitOutcome TOO_MANY = SubmitOutcome.retryNow(429, null, "TOO_MANY_REQUESTS", "slow");

	@Test
	void theClaimsAttemptAnsweredCountsAsTheClaimCountedIt() {
		ClaimedRow row = claimed();
		sent(row, ACCEPTED);
		assertThat(row.claimCounted()).isTrue();
		// and the answer is still recorded
		assertThat(row.takeAnswers()).extracting(AttemptLog.Answer::outcome).containsExactly("SUCCEEDED");
	}

	@Test
	void aRequestThatLeftWithNoAnswerCountsToo() {
		ClaimedRow row = claimed();
		sent(row, null);
		assertThat(row.claimCounted()).isTrue();
	}

	@Test
	void aRateLimitedClaimAttemptIsRecounted() {
		ClaimedRow row = claimed();
		sent(row, TOO_MANY);
		assertThat(row.claimCounted()).isFalse();
	}

	@Test
	void aRetryAfterA429IsRecounted() {
		ClaimedRow row = claimed();
		sent(row, TOO_MANY);
		row.attemptRecorded(new AttemptLog.Attempt(2, 1, 2));
		sent(row, ACCEPTED);
		assertThat(row.claimCounted()).isFalse();
		assertThat(row.takeAnswers()).extracting(AttemptLog.Answer::outcome)
			.containsExactly("RATE_LIMITED", "SUCCEEDED");
	}

	@Test
	void anAttemptThatNeverLeftIsRecounted() {
		assertThat(claimed().claimCounted()).isFalse();
	}

	@Test
	void aRetryAttemptAloneWasNotCountedByAClaim() {
		ClaimedRow row = claimed();
		sent(row, ACCEPTED);
		row.takeAnswers(); // recorded mid-chunk
		row.attemptRecorded(new AttemptLog.Attempt(2, 1, 2));
		sent(row, ACCEPTED);
		assertThat(row.claimCounted()).isFalse();
	}

	@Test
	void aSecondClaimAfterTheFirstAnswerWasRecordedCountsItsOwnAttempt() {
		ClaimedRow row = claimed();
		sent(row, SubmitOutcome.unknown(500, null, "INTERNAL", "oops"));
		assertThat(row.takeAnswers()).hasSize(1); // recorded (recounted) before reconciliation
		row.reclaimed(new AttemptLog.Attempt(2, 1, 2));
		sent(row, ACCEPTED);
		assertThat(row.claimCounted()).isTrue();
	}

	@Test
	void aClaimWithoutItsAttemptYetIsRecounted() {
		ClaimedRow row = new ClaimedRow(claimed().row, null, null);
		row.attemptRecorded(new AttemptLog.Attempt(1, 1, 1));
		sent(row, ACCEPTED);
		assertThat(row.claimCounted()).isFalse();
	}

	/** The row's next request left and {@code outcome} came back (null: nothing did). */
	private static void sent(ClaimedRow row, SubmitOutcome outcome) {
		row.requestLeaving();
		row.answered(outcome);
	}

	private static ClaimedRow claimed() {
		LedgerRow row = new LedgerRow(1, 1, 2, "rapyd", "r-1", "gp_1", new BigDecimal("10.00"), "USD",
				RowStatus.SENDING, 1, "key-1");
		return new ClaimedRow(row, null, new AttemptLog.Attempt(1, 1, 1));
	}

}
