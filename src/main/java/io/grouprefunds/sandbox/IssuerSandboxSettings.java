package io.grouprefunds.sandbox;

import java.util.List;
import java.util.Objects;

/**
 * How the simulated card issuer checks requests. The defaults are the job's own defaults ({@code refunds.issuer.*}),
 * so a sandbox and a job left at their defaults agree; change both together. The key is left out of
 * {@link #toString()}.
 *
 * @param companyId the one company whose requests the sandbox accepts
 * @param apiKey the key every sign must end with
 * @param refundSignFields the fields of a refund whose values, in order, are signed (inferred order)
 * @param querySignFields the same for a group query (inferred)
 * @param refundPath the refund endpoint under the base path {@code /api}
 * @param queryPath the group query endpoint under the base path {@code /api} (inferred)
 * @param refundQuerySignFields the same for a refund query (inferred)
 * @param refundQueryPath the refund query endpoint under the base path {@code /api} (inferred)
 */
public record IssuerSandboxSettings(String companyId, String apiKey, List<String> refundSignFields,
		List<String> querySignFields, String refundPath, String queryPath, List<String> refundQuerySignFields,
		String refundQueryPath) {

	public IssuerSandboxSettings {
		Objects.requireNonNull(companyId, "companyId");
		Objects.requireNonNull(apiKey, "apiKey");
		refundSignFields = List.copyOf(refundSignFields);
		querySignFields = List.copyOf(querySignFields);
		refundQuerySignFields = List.copyOf(refundQuerySignFields);
		for (String path : List.of(refundPath, queryPath, refundQueryPath)) {
			if (!path.startsWith("/")) {
				throw new IllegalArgumentException("paths must start with /: " + path);
			}
		}
	}

	/** Company 4101 (the seed's), the sandbox's well-known key, the job's default fields and paths. */
	public static IssuerSandboxSettings defaults() {
		return new IssuerSandboxSettings("4101", "SANDBOX_ISSUER_API_KEY",
				List.of("company_id", "group_id", "refund_amount"), List.of("company_id", "group_id"), "/group/refund",
				"/group/detail", List.of("company_id", "req_no"), "/group/refund/query");
	}

	public IssuerSandboxSettings withApiKey(String apiKey) {
		return new IssuerSandboxSettings(companyId, apiKey, refundSignFields, querySignFields, refundPath, queryPath,
				refundQuerySignFields, refundQueryPath);
	}

	public IssuerSandboxSettings withRefundSignFields(List<String> fields) {
		return new IssuerSandboxSettings(companyId, apiKey, fields, querySignFields, refundPath, queryPath,
				refundQuerySignFields, refundQueryPath);
	}

	@Override
	public String toString() {
		return "IssuerSandboxSettings[companyId=" + companyId + ", apiKey=***, refundSignFields=" + refundSignFields
				+ ", querySignFields=" + querySignFields + ", refundPath=" + refundPath + ", queryPath=" + queryPath
				+ ", refundQuerySignFields=" + refundQuerySignFields + ", refundQueryPath=" + refundQueryPath + "]";
	}

}
