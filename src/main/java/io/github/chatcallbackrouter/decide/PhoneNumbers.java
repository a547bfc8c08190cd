package io.github.chatcallbackrouter.decide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import io.github.chatcallbackrouter.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phone numbers in a message, masked but for their first three and last four digits ({@code 138****5678}), the way
 * Chinese apps show a mobile number. A number is 8 to 15 digits of any script (full-width, Arabic-Indic, ...), with
 * an optional leading + and single spaces, hyphens or dots between groups of digits, every group after the first of
 * two digits or more ("1 1 1 1 1 1 1 1" is not a number); invisible characters inside it are seen through. It is
 * found in every text field of the message's elements (custom elements' Data, Desc and Ext too), and across its text
 * elements (a number split over two of them).
 */
public final class PhoneNumbers {

    private static final Pattern NUMBER = Pattern.compile("(?<![\\d+])\\+?\\d(?:[ .-]?\\d){7,14}(?!\\d)");
    private static final Pattern SEPARATOR = Pattern.compile("[ .-]");

    /** Whether the message holds a phone number. */
    public boolean found(CallbackEvent event) {
        return groups(copyOfMsgBody(event)).stream().anyMatch(group -> !new View(group).numbers().isEmpty());
    }

    /** The message's MsgBody with every phone number masked, for a replace decision. */
    public JsonNode masked(CallbackEvent event) {
        ArrayNode body = copyOfMsgBody(event);
        for (List<MessageTexts.Field> group : groups(body)) {
            View view = new View(group);
            view.numbers().forEach(view::mask);
            view.writeBack();
        }
        return body;
    }

    /** The message's text elements together (a number may be split over them), then each other field alone. */
    private static List<List<MessageTexts.Field>> groups(ArrayNode body) {
        List<MessageTexts.Field> fields = MessageTexts.of(body);
        List<List<MessageTexts.Field>> groups = new ArrayList<>();
        groups.add(fields.stream().filter(MessageTexts.Field::messageText).toList());
        fields.stream().filter(field -> !field.messageText()).forEach(field -> groups.add(List.of(field)));
        return groups;
    }

    /** Every group of digits after the first has two digits or more: "1 1 1 1 1 1 1 1" is not a phone number. */
    private static boolean plausible(String number) {
        String[] groups = SEPARATOR.split(number.startsWith("+") ? number.substring(1) : number);
        for (int i = 1; i < groups.length; i++) {
            if (groups[i].length() < 2) {
                return false;
            }
        }
        return true;
    }

    private static ArrayNode copyOfMsgBody(CallbackEvent event) {
        JsonNode body = event.payload().path("MsgBody");
        return body.isArray() ? ((ArrayNode) body).deepCopy() : Json.MAPPER.createArrayNode();
    }

    /**
     * Fields read as one text, as a reader sees it: invisible characters left out, every digit as an ASCII digit;
     * each character remembers where it came from, so a number found in it is masked where it was written.
     */
    private static final class View {

        private final List<MessageTexts.Field> fields;
        private final List<StringBuilder> written = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private final List<int[]> origin = new ArrayList<>();

        View(List<MessageTexts.Field> fields) {
            this.fields = fields;
            for (int f = 0; f < fields.size(); f++) {
                String original = fields.get(f).text();
                written.add(new StringBuilder(original));
                for (int i = 0; i < original.length(); i++) {
                    char c = original.charAt(i);
                    if (ReadableText.invisible(c)) {
                        continue;
                    }
                    int digit = Character.isDigit(c) ? Character.digit(c, 10) : -1;
                    text.append(digit >= 0 ? (char) ('0' + digit) : c);
                    origin.add(new int[] {f, i});
                }
            }
        }

        /** Where the phone numbers are in the view: [start, end) each. */
        List<int[]> numbers() {
            List<int[]> numbers = new ArrayList<>();
            Matcher number = NUMBER.matcher(text);
            while (number.find()) {
                if (plausible(number.group())) {
                    numbers.add(new int[] {number.start(), number.end()});
                }
            }
            return numbers;
        }

        /** The digits of a number of the view become *, but for the first three and the last four. */
        void mask(int[] number) {
            int start = number[0];
            int end = number[1];
            int digits = 0;
            for (int i = start; i < end; i++) {
                digits += Character.isDigit(text.charAt(i)) ? 1 : 0;
            }
            int seen = 0;
            for (int i = start; i < end; i++) {
                if (Character.isDigit(text.charAt(i))) {
                    seen++;
                    if (seen > 3 && seen <= digits - 4) {
                        int[] at = origin.get(i);
                        written.get(at[0]).setCharAt(at[1], '*');
                    }
                }
            }
        }

        void writeBack() {
            for (int f = 0; f < fields.size(); f++) {
                fields.get(f).holder().put(fields.get(f).name(), written.get(f).toString());
            }
        }
    }
}
