package io.github.chatcallbackrouter.journal;

/** Something kept in a {@link Spool} until it has been dealt with; its id names its file. */
public interface Spooled {

    String id();
}
