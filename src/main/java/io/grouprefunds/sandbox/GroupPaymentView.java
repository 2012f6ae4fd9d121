package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

/** An immutable snapshot of a group payment, taken under its lock so an answer shows one consistent state. */
record GroupPaymentView(String id, BigDecimal amount, Currency currency, GroupStatus status,
		List<PaymentView> payments) {

	record PaymentView(String id, BigDecimal amount, BigDecimal refundedAmount, List<PaymentRefund> refunds) {
	}

	record PaymentRefund(String id, BigDecimal amount) {
	}

}
