package com.portfoliostream.events.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one reader of money, prices and quantities that come from outside the process: the edge's
 * order form, the simulator's REST and control bodies, the Alpaca codec and the config. Pure, no
 * I/O; a refused value is a {@link BadDecimal} whose message says what the field accepts and never
 * repeats the value (it may be a megabyte of digits).
 *
 * <p><b>Bounds: at most {@value #MAX_INTEGER_DIGITS} digits before the point and {@value #MAX_SCALE}
 * after (precision {@value #MAX_PRECISION}, scale {@value #MAX_SCALE}).</b> That is the database's
 * {@code NUMERIC(24, 9)}, the type of every quantity and price column, so whatever is read here is
 * stored without rounding or overflow. It covers what Alpaca sends: prices such as
 * {@code "105.8988475"} (7 places), fractional and crypto quantities (Alpaca allows 9 places),
 * account money with 2; the ratios Alpaca writes with 16 places ({@code change_today},
 * {@code unrealized_plpc}) are never read.
 *
 * <p><b>Form.</b> A string is read only when written plainly: {@code -?[0-9]{1,15}(\.[0-9]{1,9})?},
 * the minus only where the field allows negatives ({@link Sign#ANY}). No exponent, no
 * {@code NaN} or {@code Infinity}, no leading {@code '+'}, no whitespace, no bare point. A JSON
 * number is taken exactly as the JSON reader holds it ({@code BigDecimal} or a whole number, never
 * a {@code double}: a {@link Double} or {@link Float} is refused, it has lost the written digits)
 * and held to the same bounds on its digits as written; an exponent that stays within them
 * ({@code 1.5E+2}) is the same number, 150.
 *
 * <p><b>{@code -0}.</b> Where negatives are not allowed, {@code "-0"} is refused like any other
 * minus. Where they are ({@link Sign#ANY}: cash, P&amp;L, a short position's quantity) it is read as
 * 0: a {@code BigDecimal} has no negative zero, and a broker may write a rounded flat P&amp;L as
 * {@code "-0.00"}.
 */
public final class Decimals {

  public static final int MAX_INTEGER_DIGITS = 15;
  public static final int MAX_SCALE = 9;
  public static final int MAX_PRECISION = MAX_INTEGER_DIGITS + MAX_SCALE;

  private static final Pattern PLAIN = Pattern.compile("-?[0-9]{1," + MAX_INTEGER_DIGITS + "}(\\.[0-9]{1,"
      + MAX_SCALE + "})?");
  /** Long enough for any plain value within the bounds; longer text is refused before the pattern. */
  private static final int MAX_LENGTH = 1 + MAX_INTEGER_DIGITS + 1 + MAX_SCALE;

  /** Which signs a field accepts. */
  public enum Sign {
    /** Greater than 0: an order's quantity, a price. */
    POSITIVE("a positive decimal"),
    /** 0 or more: a filled quantity, a volume. */
    NON_NEGATIVE("a decimal of 0 or more"),
    /** Any sign: cash, P&amp;L, a short position's quantity. */
    ANY("a decimal");

    private final String noun;

    Sign(String noun) {
      this.noun = noun;
    }

    private boolean allowsMinus() {
      return this == ANY;
    }
  }

  /** A refused value; the message completes "&lt;field&gt; ..." and never holds the value. No stack trace. */
  public static final class BadDecimal extends IllegalArgumentException {
    private BadDecimal(String message) {
      super(message, null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private Decimals() {}

  /**
   * A string or an exact JSON number ({@link BigDecimal}, {@link BigInteger}, {@link Long},
   * {@link Integer}, {@link Short}, {@link Byte}) within the bounds and the sign.
   */
  public static BigDecimal parse(Object value, Sign sign) {
    Objects.requireNonNull(value, "value");
    if (value instanceof String text) {
      return parse(text, sign);
    }
    BigDecimal number;
    if (value instanceof BigDecimal decimal) {
      number = decimal;
    } else if (value instanceof BigInteger whole) {
      number = new BigDecimal(whole);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      number = BigDecimal.valueOf(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      throw new BadDecimal("must be " + sign.noun + " string such as \"187.25\", not a binary floating-point number");
    } else {
      throw new BadDecimal(form(sign));
    }
    return bounded(number, sign);
  }

  /** A plainly written decimal within the bounds and the sign. */
  public static BigDecimal parse(String text, Sign sign) {
    Objects.requireNonNull(text, "text");
    if (text.length() > MAX_LENGTH || !PLAIN.matcher(text).matches()
        || (text.charAt(0) == '-' && !sign.allowsMinus())) {
      throw new BadDecimal(form(sign));
    }
    return signed(new BigDecimal(text), sign);
  }

  /** What a field of this sign accepts, for error messages and documentation. */
  public static String form(Sign sign) {
    return "must be " + sign.noun + " written plainly, with at most " + MAX_INTEGER_DIGITS
        + " digits before the point and " + MAX_SCALE + " after, such as \"187.25\""
        + (sign.allowsMinus() ? " or \"-3.5\"" : "") + " (no exponent, no spaces)";
  }

  /**
   * {@code number} held to the bounds as written, by its digits only: never through
   * {@code toPlainString} or arithmetic, so {@code 1E+999999999} costs nothing to refuse.
   */
  private static BigDecimal bounded(BigDecimal number, Sign sign) {
    long integerDigits = (long) number.precision() - number.scale();
    if (number.scale() > MAX_SCALE || integerDigits > MAX_INTEGER_DIGITS) {
      throw new BadDecimal(form(sign));
    }
    return signed(number.scale() < 0 ? number.setScale(0) : number, sign);
  }

  private static BigDecimal signed(BigDecimal number, Sign sign) {
    if (sign == Sign.POSITIVE && number.signum() <= 0) {
      throw new BadDecimal("must be greater than 0");
    }
    if (sign == Sign.NON_NEGATIVE && number.signum() < 0) {
      throw new BadDecimal("must be 0 or more");
    }
    return number;
  }
}
