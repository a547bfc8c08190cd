package io.github.chatcallbackrouter.support;

import java.util.Map;
import java.util.Properties;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.impl.DefaultCamelContext;

/** A scratch CamelContext that reads the settings as the router does, for checking or explaining the route files. */
public final class SettingsContext {

    private SettingsContext() {
    }

    /**
     * @param propertiesLocation where the settings come from, e.g. file:application.properties
     * @param overrides          settings that win over the file and over an environment variable of the same name
     */
    public static DefaultCamelContext create(String name, String propertiesLocation, Map<String, String> overrides) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName(name);
        // a scratch context's start and stop are not the router's: no summary of its routes
        context.setStartupSummaryLevel(StartupSummaryLevel.Off);
        PropertiesComponent properties = (PropertiesComponent) context.getPropertiesComponent();
        properties.setLocation(propertiesLocation);
        Properties settings = new Properties();
        settings.putAll(overrides);
        properties.setOverrideProperties(settings);
        // application.properties names each setting's variable; a variable of an override's name must not win
        properties.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
        return context;
    }
}
