package io.grouprefunds.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import io.grouprefunds.ledger.LedgerEntry;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.provider.RowRules;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random rows through the validator, for Rapyd's rules and for the card issuer's shape: a row is READY exactly when
 * every field is valid, a READY row passes an independent check with its exact values, and a REJECTED row names every
 * field that is wrong and can never be sent (no key, no amount).
 */
class RefundRowValidatorPropertiesTest {

	@Property(tries = 2000)
	void aRapydRowIsReadyExactlyWhenEveryFieldIsValid(@ForAll("rapydRows") GeneratedRows.Row row) {
		verdictMatchesTheTruth(row, "rapyd", GeneratedRows.RAPYD);
		bothVerdictsAreTried(row);
	}

	@Property(tries = 2000)
	void anIssuerRowIsReadyExactlyWhenEveryFieldIsValid(@ForAll("issuerRows") GeneratedRows.Row row) {
		verdictMatchesTheTruth(row, "issuer", GeneratedRows.ISSUER);
		bothVerdictsAreTried(row);
	}

	/** A generator that only made valid (or only invalid) rows would prove nothing: fail the property then. */
	private static void bothVerdictsAreTried(GeneratedRows.Row row) {
		Statistics.label("verdict").collect(row.valid() ? "READY" : "REJECTED")
			.coverage(coverage -> {
				coverage.check("READY").percentage(p -> p > 20);
				coverage.check("REJECTED").percentage(p -> p > 20);
			});
	}

	private static void verdictMatchesTheTruth(GeneratedRows.Row row, String provider, RowRules rules) {
		// given a row whose validity is known by construction
		RefundRowValidator validator = new RefundRowValidator(provider, rules, GeneratedRows.LIMITS);

		// when
		LedgerEntry entry = validator.process(row.record(7));

		// then exactly one verdict, the right one
		assertThat(entry.status()).as("%s -> %s", row, entry.rejection())
			.isEqualTo(row.valid() ? RowStatus.READY : RowStatus.REJECTED);
		assertThat(entry.lineNumber()).isEqualTo(7);
		if (entry.status() == RowStatus.READY) {
			assertThat(GeneratedRows.independentProblems(entry, rules, GeneratedRows.LIMITS)).as("%s", entry).isEmpty();
			assertThat(entry.requestId()).isEqualTo(row.requestId().text());
			assertThat(entry.groupId()).isEqualTo(row.groupId().text());
			if (!row.amount().text().isEmpty()) {
				assertThat(entry.amount()).isEqualByComparingTo(new BigDecimal(row.amount().text()));
				assertThat(entry.amount().scale())
					.isEqualTo(java.util.Currency.getInstance(entry.currency()).getDefaultFractionDigits());
			}
			assertThat(entry.rejection()).isNull();
		}
		else {
			assertThat(entry.idempotencyKey()).isNull();
			assertThat(entry.amount()).isNull();
			assertThat(entry.rejection()).isNotBlank();
			if (!row.requestId().valid()) {
				assertThat(entry.rejection()).contains("request_id");
			}
			if (!row.groupId().valid()) {
				assertThat(entry.rejection()).contains("group_id");
			}
			if (!row.currency().valid()) {
				assertThat(entry.rejection()).contains("currency");
			}
			else if (!row.amount().valid()) {
				assertThat(entry.rejection()).contains("amount");
			}
			if (!row.reason().valid()) {
				assertThat(entry.rejection()).contains("reason");
			}
		}
	}

	@Provide
	Arbitrary<GeneratedRows.Row> rapydRows() {
		return GeneratedRows.rows(GeneratedRows.RAPYD);
	}

	@Provide
	Arbitrary<GeneratedRows.Row> issuerRows() {
		return GeneratedRows.rows(GeneratedRows.ISSUER);
	}

}
