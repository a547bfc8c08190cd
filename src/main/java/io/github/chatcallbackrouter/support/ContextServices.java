package io.github.chatcallbackrouter.support;

import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.Service;

/**
 * One stateful service per CamelContext, whatever the beans that reach it: a route file's beans are made again each
 * time the file is reloaded, but a journal or an outbox must not be opened twice, nor lose what it holds.
 */
public final class ContextServices {

    private ContextServices() {
    }

    /**
     * The context's service of this type, made by {@code make} when there is none yet; it starts and stops with the
     * context (never before the context starts, so a context that is only checked opens nothing).
     */
    public static <T extends Service> T shared(CamelContext context, Class<T> type, Supplier<T> make) {
        synchronized (context) {
            T running = context.hasService(type);
            if (running == null) {
                running = make.get();
                try {
                    context.addService(running, true, false);
                } catch (Exception e) {
                    throw RuntimeCamelException.wrapRuntimeCamelException(e);
                }
            }
            return running;
        }
    }

    /** A setting of the context, placeholders resolved, trimmed. */
    public static String setting(CamelContext context, String key) {
        return context.resolvePropertyPlaceholders("{{" + key + "}}").trim();
    }
}
