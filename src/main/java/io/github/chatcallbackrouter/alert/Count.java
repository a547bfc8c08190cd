package io.github.chatcallbackrouter.alert;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.support.LogText;
import java.math.BigDecimal;

/**
 * A count an alarm reports (QPS, groups created): a whole number from 0 to 2^63-1, sent as a number or a numeric
 * string. Anything else is kept as a problem that names the raw value, never wrapped or rounded into a count
 * (2^64+1 is not 1, and -5 QPS is not a usage of -2.5%).
 *
 * @param value   the count, or null when absent or not a count
 * @param problem why the value is not a count ("Request is -5: ..."), or null
 */
record Count(Long value, String problem) {

    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    static Count of(JsonNode payload, String field) {
        JsonNode node = payload.get(field);
        if (node == null || node.isNull()) {
            return new Count(null, null);
        }
        String raw = node.isValueNode() ? node.asText().trim() : node.toString();
        BigDecimal number;
        try {
            number = node.isNumber() ? node.decimalValue() : new BigDecimal(raw);
        } catch (NumberFormatException e) {
            return new Count(null, field + " is " + LogText.of(raw) + ": not a number");
        }
        // compared before any conversion: 1e999999999 must not become a billion-digit integer
        if (number.signum() < 0 || number.compareTo(MAX) > 0) {
            return new Count(null, field + " is " + LogText.of(raw) + ": outside 0 to " + MAX);
        }
        if (number.stripTrailingZeros().scale() > 0) {
            return new Count(null, field + " is " + LogText.of(raw) + ": not a whole number");
        }
        return new Count(number.longValueExact(), null);
    }

    /** The problems of several counts in one line, or null when they are all fine. */
    static String problems(Count... counts) {
        StringBuilder text = new StringBuilder();
        for (Count count : counts) {
            if (count.problem() != null) {
                text.append(text.length() == 0 ? "" : "; ").append(count.problem());
            }
        }
        return text.length() == 0 ? null : text.toString();
    }
}
