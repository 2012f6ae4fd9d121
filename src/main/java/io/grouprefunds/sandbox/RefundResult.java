package io.grouprefunds.sandbox;

/** A refund just applied, with the group payment as it stood right after it. */
record RefundResult(AppliedRefund applied, GroupPaymentView groupPayment) {
}
