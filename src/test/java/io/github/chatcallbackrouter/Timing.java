package io.github.chatcallbackrouter;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * An integration test that asserts how long something takes, or loads the machine to see what holds: Maven runs
 * these one at a time, while the other integration tests run two at once (pom.xml, maven-failsafe-plugin).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("timing")
public @interface Timing {
}
