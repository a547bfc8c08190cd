package io.github.chatcallbackrouter.channel;

import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertGroup;
import io.github.chatcallbackrouter.alert.SilencedAlarms;

/**
 * A chat robot (WeCom, DingTalk, Feishu, Lark, Teams): every message is an {@link AlertCard} in the robot's own
 * format, and as a group chat has no dedup key, a message that went out unanswered is tried once more at most.
 */
public abstract class CardRobot extends ChannelRobot {

    /** Mentions as the robots take them: ids, mobile numbers, @all, comma separated; never markup. */
    private static final String MENTIONS = "[\\s,]*([A-Za-z0-9_.@+-]+[\\s,]*)*";

    @Override
    public final String alert(Alert alert, Channel channel) {
        return render(AlertCard.of(alert), channel);
    }

    @Override
    public final String summary(AlertGroup group, Channel channel) {
        return render(AlertCard.summary(group), channel);
    }

    @Override
    public final String silenceSummary(SilencedAlarms hidden, Channel channel) {
        return render(AlertCard.silenceSummary(hidden), channel);
    }

    /** The card in this robot's format; a critical one mentions the channel's people. */
    protected abstract String render(AlertCard card, Channel channel);

    @Override
    public String mentionProblem(String mention) {
        return mention.matches(MENTIONS) ? null : "not mentions this robot takes: " + mentionsAre();
    }

    /** What this robot's mentions are, for a problem line. */
    protected abstract String mentionsAre();

    @Override
    protected final boolean dropsDuplicates() {
        return false;
    }

    /** A mobile number, as the robots that mention by mobile take it. */
    protected static boolean isMobile(String mention) {
        return mention.matches("\\+?\\d{6,15}");
    }
}
