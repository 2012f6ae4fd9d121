package io.grouprefunds.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Set;
import java.util.regex.Pattern;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.LedgerEntry;
import io.grouprefunds.provider.RowRules;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One row on its own: READY with exact values and a stable key, or REJECTED with every reason found. */
class RefundRowValidatorTest {

	private static final String GP = "gp_8932172b9ae44d0caa04d5d419b43739";

	private static final RowRules RAPYD = new RowRules(Pattern.compile("gp_[0-9a-f]{32}"),
			"a Rapyd group payment id", false, Set.of());

	private static final RowRules AMOUNT_REQUIRED = new RowRules(Pattern.compile("[0-9]+"), "a numeric group id",
			true, Set.of("USD", "EUR"));

	private final RefundRowValidator rapyd = new RefundRowValidator("rapyd", RAPYD);

	private final RefundRowValidator issuer = new RefundRowValidator("issuer", AMOUNT_REQUIRED);

	private static CsvRecord row(String requestId, String groupId, String amount, String currency) {
		return new CsvRecord(7, requestId, groupId, amount, currency, "customer asked", null);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			999999999.99  | USD | READY
			1234567890.00 | USD | REJECTED
			1234567890.1  | USD | REJECTED
			999999999999  | JPY | READY
			9999999999999 | JPY | REJECTED
			""")
	void anAmountLongerThanTheProviderTakesAtTheCurrencysScaleIsRejected(String amount, String currency,
			RowStatus expected) {
		// given an issuer-like provider taking amounts of at most 12 characters
		RefundRowValidator validator = new RefundRowValidator("issuer", new RowRules(Pattern.compile("[0-9]+"),
				"a numeric group id", true, Set.of("USD", "JPY"), 12));

		// when
		LedgerEntry entry = validator.process(row("r-1", "5901", amount, currency));

		// then
		assertThat(entry.status()).isEqualTo(expected);
		if (expected == RowStatus.REJECTED) {
			assertThat(entry.rejection()).contains("at most 12").contains("13 characters");
			assertThat(entry.amount()).isNull();
		}
	}

	@Test
	void aValidPartialRefundIsReadyWithTheExactAmountAndItsKey() {
		// given
		CsvRecord row = row("r-1", GP, "42.6", "USD");

		// when
		LedgerEntry entry = rapyd.process(row);

		// then
		assertThat(entry.status()).isEqualTo(RowStatus.READY);
		assertThat(entry.rejection()).isNull();
		assertThat(entry.amount()).isEqualTo(new BigDecimal("42.60"));
		assertThat(entry.amountText()).isEqualTo("42.6");
		assertThat(entry.currency()).isEqualTo("USD");
		assertThat(entry.lineNumber()).isEqualTo(7);
		assertThat(entry.requestId()).isEqualTo("r-1");
		assertThat(entry.groupId()).isEqualTo(GP);
		assertThat(entry.reason()).isEqualTo("customer asked");
		assertThat(entry.idempotencyKey()).isEqualTo(RefundRowValidator.idempotencyKey("rapyd", "r-1"))
			.startsWith("gr-");
	}

	@Test
	void aRowWithoutAmountIsAWholeGroupRefundWhereTheProviderAllowsIt() {
		// given
		CsvRecord row = row("r-2", GP, "", "USD");

		// when
		LedgerEntry entry = rapyd.process(row);

		// then
		assertThat(entry.status()).isEqualTo(RowStatus.READY);
		assertThat(entry.amount()).isNull();
		assertThat(entry.idempotencyKey()).isNotBlank();
	}

	@Test
	void aRowWithoutAmountIsRejectedWhereTheProviderNeedsOne() {
		// given
		CsvRecord row = row("r-3", "5901", "", "USD");

		// when
		LedgerEntry entry = issuer.process(row);

		// then
		assertThat(entry.status()).isEqualTo(RowStatus.REJECTED);
		assertThat(entry.rejection()).contains("amount is missing").contains("issuer");
		assertThat(entry.idempotencyKey()).isNull();
	}

	@Test
	void aValidRowForTheAmountRequiredProviderIsReady() {
		// given
		CsvRecord row = row("r-4", "5901", "11.36", "EUR");

		// when
		LedgerEntry entry = issuer.process(row);

		// then
		assertThat(entry.status()).isEqualTo(RowStatus.READY);
		assertThat(entry.amount()).isEqualTo(new BigDecimal("11.36"));
		assertThat(entry.idempotencyKey()).isEqualTo(RefundRowValidator.idempotencyKey("issuer", "r-4"));
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			missing request id       | ""          | gp_8932172b9ae44d0caa04d5d419b43739 | 10     | USD | request_id is missing
			bad request id chars     | "r 1"       | gp_8932172b9ae44d0caa04d5d419b43739 | 10     | USD | may only contain letters, digits
			request id with slash    | a/b         | gp_8932172b9ae44d0caa04d5d419b43739 | 10     | USD | may only contain
			missing group id         | r1          | ""                                  | 10     | USD | group_id is missing
			malformed group id       | r1          | gp_XYZ                              | 10     | USD | group_id 'gp_XYZ' is not a Rapyd group payment id
			group id with space      | r1          | " gp_8932172b9ae44d0caa04d5d419b43739" | 10  | USD | has spaces around it
			missing currency         | r1          | gp_8932172b9ae44d0caa04d5d419b43739 | 10     | ""  | currency is missing
			lowercase currency       | r1          | gp_8932172b9ae44d0caa04d5d419b43739 | 10     | usd | 3-letter ISO 4217 code in capitals
			unknown currency         | r1          | gp_8932172b9ae44d0caa04d5d419b43739 | 10     | ABC | 'ABC' is not an ISO 4217 currency
			currency without unit    | r1          | gp_8932172b9ae44d0caa04d5d419b43739 | 10     | XAU | no minor unit
			third decimal            | r1          | gp_8932172b9ae44d0caa04d5d419b43739 | 10.005 | USD | 3 decimals; USD allows 2
			decimal in yen           | r1          | gp_8932172b9ae44d0caa04d5d419b43739 | 5000.5 | JPY | JPY allows 0
			negative                 | r1          | gp_8932172b9ae44d0caa04d5d419b43739 | -10    | USD | negative
			zero                     | r1          | gp_8932172b9ae44d0caa04d5d419b43739 | 0.00   | USD | zero
			decimal comma            | r1          | gp_8932172b9ae44d0caa04d5d419b43739 | "10,5" | USD | decimal comma
			exponent                 | r1          | gp_8932172b9ae44d0caa04d5d419b43739 | 1e2    | USD | exponent
			""")
	void eachProblemIsRejectedWithAReadableReason(String label, String requestId, String groupId, String amount,
			String currency, String expected) {
		// given
		CsvRecord row = row(requestId, groupId, amount, currency);

		// when
		LedgerEntry entry = rapyd.process(row);

		// then
		assertThat(entry.status()).isEqualTo(RowStatus.REJECTED);
		assertThat(entry.rejection()).contains(expected);
		assertThat(entry.idempotencyKey()).isNull();
		assertThat(entry.amount()).isNull();
	}

	@Test
	void nullFieldsAreReportedAsMissing() {
		// given a row whose columns came back null
		CsvRecord row = new CsvRecord(3, null, null, null, null, null, null);

		// when
		LedgerEntry entry = rapyd.process(row);

		// then
		assertThat(entry.status()).isEqualTo(RowStatus.REJECTED);
		assertThat(entry.rejection()).contains("request_id is missing", "group_id is missing", "currency is missing");
	}

	@Test
	void aRequestIdOfSixtyFourCharactersIsAcceptedButSixtyFiveIsNot() {
		// given
		String ok = "a".repeat(64);
		String tooLong = "a".repeat(65);

		// when
		LedgerEntry accepted = rapyd.process(row(ok, GP, "1", "USD"));
		LedgerEntry rejected = rapyd.process(row(tooLong, GP, "1", "USD"));

		// then
		assertThat(accepted.status()).isEqualTo(RowStatus.READY);
		assertThat(rejected.status()).isEqualTo(RowStatus.REJECTED);
		assertThat(rejected.rejection()).contains("65 characters long; at most 64");
	}

	@Test
	void aTooLongReasonIsRejected() {
		// given
		CsvRecord row = new CsvRecord(2, "r1", GP, "1", "USD", "x".repeat(501), null);

		// when
		LedgerEntry entry = rapyd.process(row);

		// then
		assertThat(entry.status()).isEqualTo(RowStatus.REJECTED);
		assertThat(entry.rejection()).contains("reason is longer than 500 characters");
		assertThat(entry.reason()).hasSize(500);
	}

	@Test
	void aCurrencyTheProviderDoesNotTakeIsRejected() {
		// given
		CsvRecord row = row("r1", "5901", "10", "GBP");

		// when
		LedgerEntry entry = issuer.process(row);

		// then
		assertThat(entry.status()).isEqualTo(RowStatus.REJECTED);
		assertThat(entry.rejection()).contains("currency GBP is not accepted by issuer");
	}

	@Test
	void aShapeProblemRejectsTheRowEvenWhenTheFieldsLookValid() {
		// given
		CsvRecord row = new CsvRecord(9, "r1", GP, "10", "USD", null, "the row has 6 fields where the header has 5");

		// when
		LedgerEntry entry = rapyd.process(row);

		// then
		assertThat(entry.status()).isEqualTo(RowStatus.REJECTED);
		assertThat(entry.rejection()).contains("the row has 6 fields where the header has 5");
	}

	@Test
	void everyProblemOfARowIsReportedTogether() {
		// given a row wrong in four ways
		CsvRecord row = new CsvRecord(4, "bad id!", "gp_nothex", "1,000.00", "USD", "y".repeat(600),
				"the row has 3 fields where the header has 5");

		// when
		LedgerEntry entry = rapyd.process(row);

		// then
		assertThat(entry.status()).isEqualTo(RowStatus.REJECTED);
		assertThat(entry.rejection()).contains("the row has 3 fields", "request_id 'bad id!' may only contain",
				"group_id 'gp_nothex' is not", "thousands separators", "reason is longer than 500");
		assertThat(entry.rejection()).doesNotContain("missing");
		assertThat(entry.lineNumber()).isEqualTo(4);
		assertThat(entry.amountText()).isEqualTo("1,000.00");
	}

	@Test
	void aRejectedRowKeepsWhatTheFileSaidCutToTheColumnSizes() {
		// given
		CsvRecord row = new CsvRecord(5, "r".repeat(150), "g".repeat(150), "9".repeat(100), "DOLLARS", null, null);

		// when
		LedgerEntry entry = rapyd.process(row);

		// then
		assertThat(entry.status()).isEqualTo(RowStatus.REJECTED);
		assertThat(entry.requestId()).hasSize(100);
		assertThat(entry.groupId()).hasSize(100);
		assertThat(entry.amountText()).hasSize(64);
		assertThat(entry.currency()).isEqualTo("DOL");
	}

	@Test
	void theKeyIsStablePerProviderAndRequestIdAndDiffersAcrossProviders() {
		// given / when
		String first = RefundRowValidator.idempotencyKey("rapyd", "r-1");
		String again = RefundRowValidator.idempotencyKey("rapyd", "r-1");
		String otherRequest = RefundRowValidator.idempotencyKey("rapyd", "r-2");
		String otherProvider = RefundRowValidator.idempotencyKey("issuer", "r-1");

		// then
		assertThat(first).isEqualTo(again).isNotEqualTo(otherRequest).isNotEqualTo(otherProvider);
		assertThat(first).matches("gr-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
	}

	@Test
	void theSameRowValidatedTwiceGetsTheSameKey() {
		// given
		CsvRecord row = row("r-9", GP, "5", "USD");

		// when
		LedgerEntry first = rapyd.process(row);
		LedgerEntry second = new RefundRowValidator("rapyd", RAPYD).process(row);

		// then
		assertThat(first.idempotencyKey()).isEqualTo(second.idempotencyKey());
		assertThat(issuer.process(row("r-9", "5901", "5", "USD")).idempotencyKey())
			.isNotEqualTo(first.idempotencyKey());
	}

	@Test
	void anAmountAboveTheConfiguredPerRowMaximumIsRejectedAndOneAtItIsNot() {
		// given a cap of 1,000.00 USD and none for EUR
		RefundRowValidator capped = new RefundRowValidator("rapyd", RAPYD,
				new IngestProperties(4096, 100, java.util.Map.of("USD", new BigDecimal("1000"))));

		// when
		LedgerEntry atCap = capped.process(row("r1", GP, "1000.00", "USD"));
		LedgerEntry overCap = capped.process(row("r2", GP, "1000.01", "USD"));
		LedgerEntry otherCurrency = capped.process(row("r3", GP, "99999", "EUR"));
		LedgerEntry wholeGroup = capped.process(row("r4", GP, "", "USD"));

		// then
		assertThat(atCap.status()).isEqualTo(RowStatus.READY);
		assertThat(overCap.status()).isEqualTo(RowStatus.REJECTED);
		assertThat(overCap.rejection()).isEqualTo("amount 1000.01 USD is above the per-row maximum of 1000 USD "
				+ "(refunds.ingest.max-amount.USD)");
		assertThat(otherCurrency.status()).isEqualTo(RowStatus.READY);
		assertThat(wholeGroup.status()).isEqualTo(RowStatus.READY);
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			request id starting with -    | "-r1"    | USD    | must start with a letter or digit
			request id starting with =    | "=r1"    | USD    | must start with a letter or digit
			request id with spaces around | " r1 "   | USD    | request_id ' r1 ' has spaces around it
			request id with nbsp          | "r1\u00a0" | USD  | request_id 'r1\u00a0' has spaces around it
			request id with accent        | "r\u00e9" | USD   | may only contain letters, digits
			currency with spaces around   | r1       | " USD" | currency ' USD' has spaces around it
			""")
	void idsAndCodesArePreciseAboutWhatIsWrong(String label, String requestId, String currency, String expected) {
		// given
		CsvRecord row = row(requestId, GP, "10", currency);

		// when
		LedgerEntry entry = rapyd.process(row);

		// then
		assertThat(entry.status()).isEqualTo(RowStatus.REJECTED);
		assertThat(entry.rejection()).contains(expected);
	}

	@Test
	void aRowKeepsItsFieldsAsWrittenWhetherReadyOrRejected() {
		// given
		java.util.List<String> asWritten = java.util.List.of("r1", GP, "10", "USD", "x");
		CsvRecord good = new CsvRecord(2, "r1", GP, "10", "USD", "x", null, asWritten);
		CsvRecord bad = new CsvRecord(3, "r1", GP, "10,5", "USD", "x", null, java.util.List.of("r1", GP, "10,5", "USD"));

		// when / then
		assertThat(rapyd.process(good).sourceFields()).isEqualTo(asWritten);
		assertThat(rapyd.process(bad).sourceFields()).containsExactly("r1", GP, "10,5", "USD");
	}

	@Test
	void aReadyRowWhoseFieldsItsValuesGiveBackKeepsNoCopyOfThemARejectedOneDoes() {
		// given rows of a header of the five columns (the reader says their values give the fields back)
		java.util.List<String> header = java.util.List.of("reason", "CURRENCY", "amount", "request_id", "group_id");
		java.util.List<String> ready = java.util.List.of("x", "USD", "10", "r1", GP);
		java.util.List<String> refused = java.util.List.of("x", "USD", "10,5", "r".repeat(150), GP);
		CsvRecord good = new CsvRecord(2, "r1", GP, "10", "USD", "x", null, ready, true);
		CsvRecord bad = new CsvRecord(3, "r".repeat(150), GP, "10,5", "USD", "x", null, refused, true);

		// when
		LedgerEntry goodEntry = rapyd.process(good);
		LedgerEntry badEntry = rapyd.process(bad);

		// then the READY row's fields are its values in the header's order; the REJECTED row, whose values are cut
		// to the ledger's columns, keeps its fields as written
		assertThat(goodEntry.status()).isEqualTo(RowStatus.READY);
		assertThat(goodEntry.sourceFields()).isEmpty();
		assertThat(LedgerEntry.fieldsFromValues(header, goodEntry.requestId(), goodEntry.groupId(),
				goodEntry.amountText(), goodEntry.currency(), goodEntry.reason())).isEqualTo(ready);
		assertThat(badEntry.status()).isEqualTo(RowStatus.REJECTED);
		assertThat(badEntry.sourceFields()).isEqualTo(refused);
	}

	@Property
	void keysDifferForDifferentRequestIds(@ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 64) String a,
			@ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 64) String b) {
		// given two request ids
		// when / then their keys are equal exactly when the ids are
		assertThat(RefundRowValidator.idempotencyKey("rapyd", a).equals(RefundRowValidator.idempotencyKey("rapyd", b)))
			.isEqualTo(a.equals(b));
	}

}
