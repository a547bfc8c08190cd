package io.github.chatcallbackrouter.decide;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phone numbers in a message's text, masked but for their last four digits ({@code 138****5678}): a number is 8
 * to 15 digits, with an optional leading + and single spaces, hyphens or dots between digit groups.
 */
public final class PhoneNumbers {

    private static final Pattern NUMBER = Pattern.compile("(?<![\\d+])\\+?\\d(?:[ .-]?\\d){7,14}(?!\\d)");

    /** Whether any text element of the message holds a phone number. */
    public boolean found(CallbackEvent event) {
        return MessageTexts.of(event).stream().anyMatch(text -> NUMBER.matcher(text).find());
    }

    /** The message's MsgBody with every phone number masked, for a replace decision. */
    public JsonNode masked(CallbackEvent event) {
        return MessageTexts.replaced(event, PhoneNumbers::mask);
    }

    static String mask(String text) {
        Matcher number = NUMBER.matcher(text);
        StringBuilder masked = new StringBuilder();
        while (number.find()) {
            number.appendReplacement(masked, Matcher.quoteReplacement(maskDigits(number.group())));
        }
        number.appendTail(masked);
        return masked.toString();
    }

    /** Every digit but the first three and the last four becomes *, the way Chinese apps show a mobile number. */
    private static String maskDigits(String number) {
        int digits = (int) number.chars().filter(Character::isDigit).count();
        StringBuilder masked = new StringBuilder(number.length());
        int seen = 0;
        for (char c : number.toCharArray()) {
            if (Character.isDigit(c)) {
                seen++;
                masked.append(seen <= 3 || seen > digits - 4 ? c : '*');
            } else {
                masked.append(c);
            }
        }
        return masked.toString();
    }
}
