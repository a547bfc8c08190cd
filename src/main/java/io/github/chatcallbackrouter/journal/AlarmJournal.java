package io.github.chatcallbackrouter.journal;

import static io.github.chatcallbackrouter.support.ContextServices.setting;

import io.github.chatcallbackrouter.support.ContextServices;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.util.TimeUtils;

/**
 * The alarm journal as the route files use it (ingest.camel.yaml declares it): as a step, it keeps the exchange's
 * alarm ({@link Spooled}) before the route goes on, on disk or, while the disk refuses it, in memory
 * ({@link AlarmKeeping}); the classify route removes it once its rules are done, or releases it to be done again.
 * The first such bean of a context makes its {@link AlarmKeeping} from the settings (router.data-dir,
 * alarms.memory-max, router.stop.memory-wait); one made again by a reload uses the running one.
 */
public final class AlarmJournal extends AsyncProcessorSupport implements CamelContextAware {

    private CamelContext camelContext;
    private String type;
    private volatile AlarmKeeping keeping;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** Class of the alarms kept, to read them back. */
    public void setType(String type) {
        this.type = type;
    }

    /** Joins the context's journal, or makes it (the bean's init method). */
    public void register() {
        keeping = ContextServices.shared(camelContext, AlarmKeeping.class, () -> {
            AlarmKeeping made = new AlarmKeeping(Path.of(setting(camelContext, "router.data-dir"), "journal"),
                    spooled(type), Integer.parseInt(setting(camelContext, "alarms.memory-max")),
                    TimeUtils.toMilliSeconds(setting(camelContext, "router.stop.memory-wait")));
            camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
                @Override
                public void onContextStopping(CamelContext context) {
                    try {
                        made.beforeStop();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            return made;
        });
    }

    /** The journal of this context. */
    public AlarmKeeping keeping() {
        return keeping;
    }

    /** Kept (on disk, else in memory), then the route goes on; the exchange fails only when memory is full too. */
    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        keeping.keep(exchange.getIn().getBody(Spooled.class)).whenComplete((kept, failure) -> {
            if (failure != null) {
                exchange.setException(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
            callback.done(false);
        });
        return false;
    }

    /** Its rules are done: gone. */
    public void remove(String id) {
        keeping.remove(id);
    }

    /** Its rules failed: done again within router.recover-interval. */
    public void release(String id) {
        keeping.release(id);
    }

    /** What nothing works on: left before the last stop, released, or held in memory. */
    public List<Object> due() {
        return keeping.due();
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Spooled> spooled(String type) {
        try {
            return (Class<? extends Spooled>) Class.forName(type);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("journal entry type " + type + " is not on the classpath", e);
        }
    }
}
