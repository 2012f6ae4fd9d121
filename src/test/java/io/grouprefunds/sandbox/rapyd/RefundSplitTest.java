package io.grouprefunds.sandbox.rapyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The split of a group refund over its payments: proportional, exact, never above a payment's amount. */
class RefundSplitTest {

	@Test
	void rapydsExampleSplitsSeventyOneAsFortyTwoSixAndTwentyEightFour() {
		// when
		List<BigDecimal> parts = RefundSplit.split(dec("71.00"), decs("75.00", "50.00"), decs("75.00", "50.00"), 2);

		// then
		assertThat(parts).containsExactly(dec("42.60"), dec("28.40"));
	}

	@Test
	void theRoundingRemainderGoesToTheLastPayment() {
		// when 0.10 over three equal payments: 0.03 each rounded down, 0.01 left over
		List<BigDecimal> parts = RefundSplit.split(dec("0.10"), decs("1.00", "1.00", "1.00"),
				decs("1.00", "1.00", "1.00"), 2);

		// then
		assertThat(parts).containsExactly(dec("0.03"), dec("0.03"), dec("0.04"));
	}

	@Test
	void theRemainderSkipsAPaymentWithNothingLeft() {
		// given the last payment fully refunded already
		List<BigDecimal> remaining = decs("5.00", "0.00");

		// when
		List<BigDecimal> parts = RefundSplit.split(dec("5.00"), decs("5.00", "5.00"), remaining, 2);

		// then
		assertThat(parts).containsExactly(dec("5.00"), dec("0.00"));
	}

	@Test
	void aRefundAboveWhatIsLeftCannotBeSplit() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RefundSplit.split(dec("6.00"), decs("5.00", "5.00"), decs("5.00", "0.00"), 2));
	}

	@Test
	void successiveRandomRefundsAlwaysSumExactlyAndStayWithinEachPayment() {
		Random random = new Random(7);
		for (int round = 0; round < 2000; round++) {
			// given a random group and what each payment has left
			int scale = random.nextBoolean() ? 2 : 0;
			int count = 2 + random.nextInt(9);
			List<BigDecimal> amounts = new ArrayList<>();
			List<BigDecimal> remaining = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				BigDecimal amount = BigDecimal.valueOf(1 + random.nextInt(100_000), scale);
				amounts.add(amount);
				remaining.add(BigDecimal.valueOf(random.nextInt(amount.unscaledValue().intValue() + 1), scale));
			}
			BigDecimal left = remaining.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
			BigDecimal refund = BigDecimal.valueOf((long) (random.nextDouble() * left.unscaledValue().longValue()),
					scale);

			// when
			List<BigDecimal> parts = RefundSplit.split(refund, amounts, remaining, scale);

			// then
			assertThat(parts.stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(refund);
			for (int i = 0; i < count; i++) {
				assertThat(parts.get(i).signum()).isNotNegative();
				assertThat(parts.get(i)).isLessThanOrEqualTo(remaining.get(i));
				assertThat(parts.get(i).scale()).isEqualTo(scale);
			}
		}
	}

	private static BigDecimal dec(String value) {
		return new BigDecimal(value);
	}

	private static List<BigDecimal> decs(String... values) {
		return Arrays.stream(values).map(BigDecimal::new).toList();
	}

}
