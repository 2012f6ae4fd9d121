package io.grouprefunds.sandbox.issuer;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grouprefunds.domain.Money;
import io.grouprefunds.sandbox.AbstractSimulatedProvider;
import io.grouprefunds.sandbox.AppliedRefund;
import io.grouprefunds.sandbox.RefundLifecycle;
import io.grouprefunds.sandbox.RefundPart;
import io.grouprefunds.sandbox.SimulatedIssuer;
import io.grouprefunds.sandbox.SimulatedRefund;
import io.grouprefunds.sandbox.faults.SandboxFaults;

/**
 * The card issuer simulator's state: funding groups with balances, the refunds applied to them (one part each, its
 * id the {@code reqNo}), the faults and lifecycle in force, and counters. Like the issuer as documented, it does not
 * deduplicate {@code request_id} unless told to.
 */
final class IssuerSandbox extends AbstractSimulatedProvider implements SimulatedIssuer {

	static final String NAME = "issuer";

	private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

	private static final Pattern AMOUNT = Pattern.compile("[0-9]+(\\.[0-9]+)?");

	private static final Logger log = LoggerFactory.getLogger(IssuerSandbox.class);

	private final Map<String, IssuerGroup> groups = new ConcurrentHashMap<>();

	/** The first answer to each request_id, when deduplicating. */
	private final Map<String, Refunded> firstAnswers = new ConcurrentHashMap<>();

	private final AtomicLong reqNo = new AtomicLong(114000);

	private volatile boolean deduplicateRequestIds;

	IssuerSandbox(SandboxFaults faults, RefundLifecycle lifecycle, Clock clock) {
		super(NAME, faults, lifecycle, clock);
	}

	@Override
	public void addGroup(String companyId, String groupId, Currency currency, BigDecimal balance) {
		if (!DIGITS.matcher(companyId).matches() || !DIGITS.matcher(groupId).matches()) {
			throw new IllegalArgumentException("company and group ids are digits: " + companyId + ", " + groupId);
		}
		if (balance.signum() < 0) {
			throw new IllegalArgumentException("balance of group " + groupId + " must not be negative: " + balance);
		}
		if (groups.putIfAbsent(groupId, new IssuerGroup(companyId, groupId, currency, balance)) != null) {
			throw new IllegalArgumentException("group " + groupId + " already exists");
		}
	}

	/** Adds the groups of a file {@code company_id,group_id,currency,balance}. */
	@Override
	public void loadGroups(Path csv) {
		List<IssuerGroupsCsv.Row> rows = IssuerGroupsCsv.read(csv);
		rows.forEach((row) -> addGroup(row.companyId(), row.groupId(), row.currency(), row.balance()));
		log.info("Sandbox loaded {} card issuer groups from {}", rows.size(), csv);
	}

	@Override
	public void setDeduplicateRequestIds(boolean deduplicate) {
		this.deduplicateRequestIds = deduplicate;
	}

	@Override
	public BigDecimal refundedAmount(String groupId) {
		settleDue();
		return existing(groupId).view().refunded();
	}

	@Override
	public BigDecimal balance(String groupId) {
		settleDue();
		return existing(groupId).view().balance();
	}

	/**
	 * Applies a refund out of a group and records it, as one part starting as the lifecycle draws it (an Error part
	 * takes nothing); the group stays locked from the check to the record.
	 * @param amountText the {@code refund_amount} string as sent
	 * @throws IssuerException when the issuer would refuse it; then nothing is applied
	 */
	Refunded refund(String companyId, String groupId, String amountText, String requestId) {
		settleDue();
		if (deduplicateRequestIds && !requestId.isEmpty()) {
			Refunded first = firstAnswers.get(requestId);
			if (first != null) {
				return first;
			}
		}
		IssuerGroup group = ownGroup(companyId, groupId);
		BigDecimal amount = amount(amountText, group.currency());
		synchronized (group) {
			if (deduplicateRequestIds && firstAnswers.containsKey(requestId)) {
				return firstAnswers.get(requestId);
			}
			group.check(amount);
			String number = Long.toString(reqNo.incrementAndGet());
			AppliedRefund refund = record(groupId, amount, group.currency(), requestId.isEmpty() ? null : requestId,
					number);
			SimulatedRefund part = createParts(group, refund, List.of(new NewPart(number, null, amount))).get(0);
			group.addPart(part);
			log.info("Sandbox applied card issuer refund #{}: {} {} out of group {}, {} (request_id {}, reqNo {})",
					refund.sequence(), amount.toPlainString(), group.currency(), groupId, part.status().wire(),
					requestId, number);
			Refunded result = new Refunded(refund, part, group.view());
			if (deduplicateRequestIds && !requestId.isEmpty()) {
				firstAnswers.put(requestId, result);
			}
			return result;
		}
	}

	/** @throws IssuerException when the company has no such group */
	IssuerGroup.View group(String companyId, String groupId) {
		settleDue();
		return ownGroup(companyId, groupId).view();
	}

	/**
	 * The company's refund with this reqNo, as it stands now.
	 * @throws IssuerException {@code REFUND_NOT_FOUND} when the company has no such refund
	 */
	RefundPart refundOf(String companyId, String reqNo) {
		RefundPart part = refundPart(reqNo).orElse(null);
		IssuerGroup group = (part != null) ? groups.get(part.groupId()) : null;
		if (group == null || !group.companyId().equals(companyId)) {
			throw new IssuerException(IssuerException.REFUND_NOT_FOUND, "refund not found", "退款记录不存在");
		}
		return part;
	}

	private IssuerGroup ownGroup(String companyId, String groupId) {
		IssuerGroup group = groups.get(groupId);
		if (group == null || !group.companyId().equals(companyId)) {
			throw new IssuerException(IssuerException.GROUP_NOT_FOUND, "Group not found", "分组不存在");
		}
		return group;
	}

	private IssuerGroup existing(String groupId) {
		IssuerGroup group = groups.get(groupId);
		if (group == null) {
			throw new IllegalArgumentException("no group " + groupId);
		}
		return group;
	}

	/** The amount as the issuer documents it: a plain decimal string of at most 12 characters. */
	private static BigDecimal amount(String text, Currency currency) {
		if (text.length() > 12 || !AMOUNT.matcher(text).matches()) {
			throw new IssuerException(IssuerException.BAD_PARAMETER, "Invalid refund_amount: " + text,
					"退款金额格式错误");
		}
		BigDecimal amount = new BigDecimal(text);
		if (amount.signum() <= 0 || amount.scale() > Money.decimalsOf(currency)) {
			throw new IssuerException(IssuerException.BAD_PARAMETER, "Invalid refund_amount for " + currency + ": "
					+ text, "退款金额格式错误");
		}
		return amount.setScale(Money.decimalsOf(currency));
	}

	/** A refund applied and its part, with the group as it was right after. */
	record Refunded(AppliedRefund refund, SimulatedRefund part, IssuerGroup.View group) {
	}

}
