package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

/** An immutable snapshot of a group payment, taken under its lock so an answer shows one consistent state. */
record GroupPaymentView(String id, BigDecimal amount, Currency currency, GroupStatus status,
		List<PaymentView> payments) {

	/**
	 * @param refundedAmount what its Pending and Completed parts hold
	 * @param refunds every part refunded from it, earlier ones too, with its status now
	 */
	record PaymentView(String id, BigDecimal amount, BigDecimal refundedAmount, List<RefundPart> refunds) {
	}

}
