package io.grouprefunds.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The header line: columns found in any order, and every mistake refused with how to fix it. */
class CsvHeaderTest {

	private static CsvHeader header(String line) {
		return CsvHeader.of(Arrays.asList(line.split(",", -1)));
	}

	private static String refusal(String line) {
		return catchThrowableOfType(FileRefusedException.class, () -> header(line)).getMessage();
	}

	@Test
	void columnsAreFoundInAnyOrderAndCaseWithSpacesAndAByteOrderMarkIgnored() {
		// given / when
		CsvHeader header = header("\uFEFF Currency ,AMOUNT,reason,group_id,request_id");

		// then
		assertThat(header.indexOf("currency")).isZero();
		assertThat(header.indexOf("amount")).isEqualTo(1);
		assertThat(header.indexOf("request_id")).isEqualTo(4);
		assertThat(header.fields()).first().isEqualTo("\uFEFF Currency ");
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			request_id,group_id,ammount,currency         | unknown column 'ammount' (column 3): did you mean 'amount'?
			request_id,group_id,amount,curency           | unknown column 'curency' (column 4): did you mean 'currency'?
			request_id,groupid,amount,currency           | unknown column 'groupid' (column 2): did you mean 'group_id'?
			request_id,group,amount,currency             | unknown column 'group' (column 2): did you mean 'group_id'?
			Request-ID,group_id,amount,currency          | unknown column 'Request-ID' (column 1): did you mean 'request_id'?
			request_id,group_payment,amount,currency     | did you mean 'group_id'?
			request_id,group_id,refund_amount,currency   | did you mean 'amount'?
			request_id,group_id,amount,ccy               | did you mean 'currency'?
			request_id,group_id,amount_usd,currency      | did you mean 'amount'?
			request_id,group_id,amount,currency,note     | unknown column 'note' (column 5): did you mean 'reason'?
			request_id,group_id,amount,currency,reasn    | did you mean 'reason'?
			""")
	void aMisspeltColumnGetsASuggestion(String line, String expected) {
		// given / when
		String message = refusal(line);

		// then
		assertThat(message).startsWith("header (line 1): ").contains(expected);
	}

	@Test
	void aMissingColumnIsNamedAndAnUnrelatedExtraColumnIsNotGuessedAt() {
		// given / when
		String message = refusal("request_id,group_id,amount,colour");

		// then
		assertThat(message).isEqualTo("header (line 1): missing column(s) currency; unknown column(s) 'colour'. The "
				+ "header must name request_id, group_id, amount, currency and optionally reason.");
	}

	@Test
	void anExtraColumnIsRefusedEvenWhenEverythingRequiredIsThere() {
		// given / when
		String message = refusal("request_id,group_id,amount,currency,reason,internal_code");

		// then
		assertThat(message).contains("unknown column(s) 'internal_code'").doesNotContain("missing");
	}

	@Test
	void aDuplicatedColumnIsRefusedWithBothPositions() {
		// given / when / then
		assertThat(refusal("request_id,group_id,amount,currency,Amount"))
			.isEqualTo("header (line 1): column 'amount' appears twice (columns 3 and 5)");
	}

	@Test
	void aHeaderEndingWithACommaIsExplained() {
		// given / when / then
		assertThat(refusal("request_id,group_id,amount,currency,")).contains("column 5 has no name")
			.contains("the header line ends with a comma");
	}

	@ParameterizedTest(name = "[{index}] {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			request_id;group_id;amount;currency;reason   | ';' as separator (semicolon)
			request_id	group_id	amount	currency        | tabs as separator
			request_id;group_id,amount,currency          | ';' as separator (semicolon)
			""")
	void aFileSeparatedByAnotherCharacterIsNamedAsSuch(String line, String expected) {
		// given / when
		String message = refusal(line);

		// then
		assertThat(message).startsWith("line 1: the file uses " + expected).contains("not a comma");
	}

	@Test
	void theRejectionColumnOfTheRejectedRowsReportIsAcceptedAndIgnored() {
		// given / when
		CsvHeader header = header("rejection,request_id,group_id,amount,currency");

		// then
		assertThat(header.columns()).containsOnlyKeys("request_id", "group_id", "amount", "currency");
		assertThat(header.indexOf("request_id")).isEqualTo(1);
	}

	@Test
	void aRecordRepeatingTheHeaderIsRecognisedWhateverItsCaseAndSpaces() {
		// given
		CsvHeader header = header("request_id,group_id,amount,currency");

		// when / then
		assertThat(header.isRepeatedBy(List.of("REQUEST_ID", " group_id", "amount", "\uFEFFcurrency"))).isTrue();
		assertThat(header.isRepeatedBy(List.of("r1", "group_id", "amount", "currency"))).isFalse();
		assertThat(header.isRepeatedBy(List.of("request_id", "group_id", "amount"))).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "amount,amount,0", "ammount,amount,1", "kitten,sitting,3", ",abc,3", "abc,,3" })
	void editDistanceCountsInsertionsDeletionsAndSubstitutions(String a, String b, int expected) {
		// given / when / then
		assertThat(CsvHeader.distance(a == null ? "" : a, b == null ? "" : b)).isEqualTo(expected);
	}

}
