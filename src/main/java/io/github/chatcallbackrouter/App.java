package io.github.chatcallbackrouter;

import io.github.chatcallbackrouter.command.Commands;

/**
 * The jar's entry point: the router, or one of its commands ({@code --help} lists them). Settings come from
 * ./application.properties and the routes from ./routes/ when the working directory has them, so an operator edits
 * them without rebuilding; otherwise from the copies inside the jar.
 */
public final class App {

    private App() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && !args[0].equals("run")) {
            // a command prints its result on stdout; Camel's start-up lines would bury it (read by ConsoleLogging)
            System.setProperty("ROUTER_LOG_TARGET", "System.err");
            if (System.getenv("ROUTER_LOG_LEVEL") == null) {
                System.setProperty("ROUTER_LOG_LEVEL", "WARN");
            }
        }
        System.exit(args.length == 0 ? Commands.runRouter() : Commands.line().execute(args));
    }
}
