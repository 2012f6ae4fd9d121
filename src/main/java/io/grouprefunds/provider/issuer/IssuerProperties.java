package io.grouprefunds.provider.issuer;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.validation.constraints.NotBlank;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The card issuer's account settings ({@code refunds.issuer.*}; environment: {@code REFUNDS_ISSUER_COMPANY_ID},
 * {@code REFUNDS_ISSUER_API_KEY}, …). Every setting marked inferred stands for a detail no public source states; see
 * docs/providers-in-this-job.md.
 *
 * @param baseUrl scheme, host, port and the API's base path; the endpoint paths are appended to it
 * @param companyId the merchant's company id, sent as {@code company_id}
 * @param apiKey the secret appended to every signed text; never logged
 * @param refundPath the Refund group endpoint
 * @param queryPath the Query group details endpoint used to reconcile (inferred)
 * @param signFields the body fields whose values, in this order, are concatenated before the key (inferred order)
 * @param querySignFields the same for the query (inferred)
 * @param currencies the currencies rows may be in: the refund call carries none, so the group's currency is the
 * operator's declaration, checked again against the group at reconciliation (inferred)
 * @param succeededStatuses {@code data.status} values of a {@code code 0} answer that mean the refund is done
 * (inferred: "1" is the only value the examples show)
 * @param stopCodes {@code code} values meaning our credentials or signature are wrong: stop the job (inferred)
 * @param stopMessagePattern an English {@code msg} matching this also stops the job, in case the real code of a bad
 * signature is not among {@code stopCodes}: declining every row for a wrong key would be worse (inferred)
 * @param retryCodes {@code code} values meaning the request was not processed and may be sent again now (a rate
 * limit or "busy" answered as a code rather than HTTP 429); empty by default: none is documented (inferred)
 * @param groupNotFoundCodes {@code code} values of a query for a group the issuer does not know (inferred)
 * @param queryRefundedField the field of the query's {@code data} holding the total refunded from the group so far
 * (inferred)
 * @param queryCurrencyField the field of the query's {@code data} holding the group's currency (inferred)
 * @param idempotencyEnforced the operator declares that the issuer deduplicates {@code request_id}; only then may a
 * maybe-sent row be resent without reconciling first. Not documented by the issuer: leave false
 * @param refundQueryPath the Query refund endpoint reconcile follows a pending refund with, by its {@code reqNo}
 * (inferred)
 * @param refundQuerySignFields the body fields the Query refund's sign covers, in order (inferred)
 * @param pendingStatuses {@code data.status} values meaning the refund is still being processed (inferred: "0")
 * @param failedStatuses {@code data.status} values meaning the refund failed and the amount went back to the group
 * (inferred: "2"); a status in none of the three lists is followed as pending
 * @param refundNotFoundCodes {@code code} values of a Query refund for a reqNo the issuer does not know (inferred)
 * @param queryBalanceField the field of the group query's {@code data} holding what may still be refunded, for the
 * preflight (inferred)
 * @param preflight before anything is sent, read each group once and reject the rows that cannot succeed (another
 * currency, an unknown group, more than its balance); costs one query per distinct group
 */
@ConfigurationProperties("refunds.issuer")
@Validated
public record IssuerProperties(@DefaultValue("https://sandbox.vcc.top/api") @NotBlank String baseUrl, String companyId,
		String apiKey, @DefaultValue("/group/refund") @NotBlank String refundPath,
		@DefaultValue("/group/detail") @NotBlank String queryPath,
		@DefaultValue({ "company_id", "group_id", "refund_amount" }) List<String> signFields,
		@DefaultValue({ "company_id", "group_id" }) List<String> querySignFields,
		@DefaultValue("USD") Set<String> currencies, @DefaultValue("1") Set<String> succeededStatuses,
		@DefaultValue({ "1001", "1002" }) Set<Integer> stopCodes,
		@DefaultValue("(?i)\\b(sign|signature|api[ _-]?key)\\b") String stopMessagePattern,
		@DefaultValue Set<Integer> retryCodes,
		@DefaultValue("2001") Set<Integer> groupNotFoundCodes,
		@DefaultValue("totalRefundAmount") @NotBlank String queryRefundedField,
		@DefaultValue("currency") @NotBlank String queryCurrencyField,
		@DefaultValue("false") boolean idempotencyEnforced,
		@DefaultValue("5s") @DurationMin(millis = 1, message = "must be longer than 0") Duration connectTimeout,
		@DefaultValue("30s") @DurationMin(millis = 1, message = "must be longer than 0") Duration responseTimeout,
		@DefaultValue("/group/refund/query") @NotBlank String refundQueryPath,
		@DefaultValue({ "company_id", "req_no" }) List<String> refundQuerySignFields,
		@DefaultValue("0") Set<String> pendingStatuses, @DefaultValue("2") Set<String> failedStatuses,
		@DefaultValue("2002") Set<Integer> refundNotFoundCodes, @DefaultValue("balance") @NotBlank String queryBalanceField,
		@DefaultValue("false") boolean preflight) {

	/** The key stays out of logs and exception messages, including this record's own string form. */
	@Override
	public String toString() {
		return "IssuerProperties[baseUrl=" + baseUrl + ", companyId=" + companyId + ", apiKey="
				+ ((apiKey == null || apiKey.isBlank()) ? "<unset>" : "****") + ", refundPath=" + refundPath
				+ ", queryPath=" + queryPath + ", signFields=" + signFields + ", querySignFields=" + querySignFields
				+ ", currencies=" + currencies + ", idempotencyEnforced=" + idempotencyEnforced + "]";
	}

}
