package com.example.alarms;

import org.apache.camel.main.Main;

/** A Camel Main application: src/main/resources/application.properties names the routes, camel/*.yaml. */
public final class AlarmsApp {

    private AlarmsApp() {
    }

    public static void main(String[] args) throws Exception {
        new Main(AlarmsApp.class).run(args);
    }
}
