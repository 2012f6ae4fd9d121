package io.grouprefunds.support;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import io.grouprefunds.sandbox.IssuerSandboxSettings;
import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.sandbox.SimulatedProvider;

/**
 * What the provider-neutral integration tests need to know about one provider: its sample files and what they must
 * come to, how to seed its sandbox with a group, which setting holds its secret. Tests are parameterised over these
 * constants, never copied per provider.
 */
public enum ProviderFixture {

	RAPYD("rapyd", "refunds.rapyd.secret-key", "UNAUTHENTICATED_API_CALL", true, List.of("USD", "EUR"),
			new SampleExpectations(Path.of("sample-data/rapyd-refunds.csv"),
					Path.of("sample-data/sandbox-rapyd-groups.csv"),
					Map.of(21, "3 decimals", 22, "thousands separators", 23, "not a Rapyd group payment id", 24, "XYZ",
							25, "already used at line 2"),
					Map.of("r-1018", List.of("ERROR_CREATE_REFUND", "exceeds the refundable amount"), "r-1019",
							List.of("ERROR_CREATE_REFUND", "not closed")),
					Map.of("gp_8932172b9ae44d0caa04d5d419b43739", "71", "gp_89aedef8594241094a94685dcde3707b", "1050"),
					"{\"group_payment\":\"gp_8932172b9ae44d0caa04d5d419b43739\",\"amount\":71}", 21)) {

		@Override
		public String groupId(long n) {
			return String.format("gp_%032x", n);
		}

		@Override
		public String addGroup(SandboxServer sandbox, long n, Currency currency, List<BigDecimal> parts) {
			sandbox.rapyd().addGroupPayment(groupId(n), currency, "closed", parts);
			return groupId(n);
		}

		@Override
		public SandboxSettings withSecret(SandboxSettings settings, String secret) {
			return settings.withRapydKeys(settings.rapydAccessKey(), secret);
		}

		@Override
		public String secret(SandboxSettings settings) {
			return settings.rapydSecretKey();
		}

	},

	ISSUER("issuer", "refunds.issuer.api-key", "1001", false, List.of("USD"),
			new SampleExpectations(Path.of("sample-data/issuer-refunds.csv"),
					Path.of("sample-data/sandbox-issuer-groups.csv"),
					Map.of(17, "issuer needs an amount", 18, "3 decimals", 19, "not a card issuer group id", 20,
							"EUR is not accepted", 21, "at most 12", 22, "already used at line 2", 23,
							"thousands separators"),
					Map.of("i-2007", List.of("2002", "Insufficient group balance", "| 分组余额不足"), "i-2015",
							List.of("2001", "Group not found | 分组不存在")),
					Map.of("5901", "11.36", "5911", "119.99", "5902", "250"),
					"\"request_id\":\"gr-c627ba4c-6779-34ea-b1b2-c89458cb7b95\",\"company_id\":\"4101\","
							+ "\"group_id\":\"5901\",\"refund_amount\":\"11.36\"",
					17)) {

		/** Far from the sample's ids (5901…6001), so tests may add groups next to the sample's. */
		@Override
		public String groupId(long n) {
			return Long.toString(1_000_000_000L + n);
		}

		@Override
		public String addGroup(SandboxServer sandbox, long n, Currency currency, List<BigDecimal> parts) {
			sandbox.issuer().addGroup(sandbox.clientSettings("issuer").get("refunds.issuer.company-id"), groupId(n),
					currency, parts.stream().reduce(BigDecimal.ZERO, BigDecimal::add));
			return groupId(n);
		}

		@Override
		public SandboxSettings withSecret(SandboxSettings settings, String secret) {
			IssuerSandboxSettings issuer = settings.issuer().withApiKey(secret);
			return settings.withIssuer(issuer);
		}

		@Override
		public String secret(SandboxSettings settings) {
			return settings.issuer().apiKey();
		}

	};

	private final String provider;

	private final String secretSetting;

	private final String badCredentialsCode;

	private final boolean wholeGroupRefunds;

	private final List<String> currencies;

	private final SampleExpectations sample;

	ProviderFixture(String provider, String secretSetting, String badCredentialsCode, boolean wholeGroupRefunds,
			List<String> currencies, SampleExpectations sample) {
		this.provider = provider;
		this.secretSetting = secretSetting;
		this.badCredentialsCode = badCredentialsCode;
		this.wholeGroupRefunds = wholeGroupRefunds;
		this.currencies = currencies;
		this.sample = sample;
	}

	/** The name operators type: {@code --provider rapyd}. */
	public String provider() {
		return provider;
	}

	/** The setting that holds the provider's secret (signing key). */
	public String secretSetting() {
		return secretSetting;
	}

	/** The error code the job reports when the sandbox refuses our credentials. */
	public String badCredentialsCode() {
		return badCredentialsCode;
	}

	/** Whether a row may leave the amount empty to refund the whole group. */
	public boolean wholeGroupRefunds() {
		return wholeGroupRefunds;
	}

	/** Currencies the provider takes with the job's default settings. */
	public List<String> currencies() {
		return currencies;
	}

	public SampleExpectations sample() {
		return sample;
	}

	/** The other provider: the one whose files this provider must refuse. */
	public ProviderFixture other() {
		return this == RAPYD ? ISSUER : RAPYD;
	}

	/** This provider's side of the sandbox: what it applied, what it was asked. */
	public SimulatedProvider of(SandboxServer sandbox) {
		return sandbox.provider(provider);
	}

	/** A group id of this provider's shape, distinct for each {@code n}. */
	public abstract String groupId(long n);

	/**
	 * Seeds the sandbox with a group that can take refunds up to the sum of {@code parts} (Rapyd: a closed group
	 * payment of those payments; issuer: a group with that balance).
	 * @return the group's id
	 */
	public abstract String addGroup(SandboxServer sandbox, long n, Currency currency, List<BigDecimal> parts);

	/** Sandbox settings whose secret for this provider is {@code secret}. */
	public abstract SandboxSettings withSecret(SandboxSettings settings, String secret);

	/** The sandbox's secret for this provider. */
	public abstract String secret(SandboxSettings settings);

	/**
	 * What the provider's sample file must come to, besides the status its {@code reason} column announces.
	 *
	 * @param rejections rejection text expected on a line
	 * @param declines for a request id: its error code, then fragments of its error message
	 * @param refunded for a group: the total the sandbox shows refunded from it
	 * @param preview a fragment of the first request a dry run shows
	 * @param firstRejectedLine the first line a dry run reports REJECTED
	 */
	public record SampleExpectations(Path file, Path groups, Map<Integer, String> rejections,
			Map<String, List<String>> declines, Map<String, String> refunded, String preview,
			int firstRejectedLine) {
	}

}
