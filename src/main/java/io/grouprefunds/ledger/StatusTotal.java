package io.grouprefunds.ledger;

import io.grouprefunds.domain.RowStatus;

import java.math.BigDecimal;

/**
 * Rows and money of one status and currency in a batch. {@code amount} sums the explicit amounts; {@code fullRefunds}
 * counts rows that refund a whole group (no amount in the file).
 */
public record StatusTotal(RowStatus status, String currency, int rows, BigDecimal amount, int fullRefunds) {
}
