package io.retryspool.benchmarks;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.util.List;

/**
 * The application the console scenario asks: auto-configuration only (the RetrySpool starter, Spring MVC on Tomcat,
 * Actuator), no component scan and no beans of its own, so what answers is what any application with the starter
 * serves. Its spool has a pool of its own on the scenario's schema ({@code retryspool.datasource.url}), the dashboard
 * at {@value #DASHBOARD_PATH} and the {@code retryspool} and {@code health} endpoints. The workers are not started
 * ({@code retryspool.auto-start=false}): nothing is delivered, retried or swept while the requests are timed, and the
 * table stays as it was filled.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class ConsoleApplication {

    /** The dashboard's path ({@code retryspool.dashboard.path}'s default). */
    static final String DASHBOARD_PATH = "/retryspool";

    /**
     * Starts the application on a free port of the loopback interface.
     *
     * @param jdbcUrl the spool's database
     * @return the running application; close it to stop it
     */
    static Running start(String jdbcUrl) {
        SpringApplication application = new SpringApplication(ConsoleApplication.class);
        application.setWebApplicationType(WebApplicationType.SERVLET);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setRegisterShutdownHook(false);
        // command-line arguments, so that no environment variable or system property of the benchmark JVM overrides them
        ConfigurableApplicationContext context = application.run(List.of(
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--retryspool.datasource.url=" + jdbcUrl,
                "--retryspool.auto-start=false",
                "--retryspool.dashboard.enabled=true",
                "--retryspool.dashboard.path=" + DASHBOARD_PATH,
                "--retryspool.dashboard.access=unrestricted",
                "--management.endpoints.web.exposure.include=retryspool,health",
                "--management.endpoint.retryspool.access=unrestricted").toArray(String[]::new));
        Integer port = context.getEnvironment().getProperty("local.server.port", Integer.class);
        if (port == null) {
            context.close();
            throw new IllegalStateException("the console application started without a web server port");
        }
        return new Running(context, URI.create("http://127.0.0.1:" + port));
    }

    /**
     * A started application.
     *
     * @param context its context
     * @param baseUri where it answers, e.g. {@code http://127.0.0.1:41234}
     */
    record Running(ConfigurableApplicationContext context, URI baseUri) implements AutoCloseable {

        @Override
        public void close() {
            context.close();
        }
    }
}
