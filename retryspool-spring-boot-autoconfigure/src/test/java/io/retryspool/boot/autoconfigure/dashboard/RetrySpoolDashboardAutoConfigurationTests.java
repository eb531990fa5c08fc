package io.retryspool.boot.autoconfigure.dashboard;

import io.retryspool.boot.autoconfigure.RetrySpoolAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard is off by default, on with retryspool.dashboard.enabled in a servlet application, never elsewhere. */
class RetrySpoolDashboardAutoConfigurationTests {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetrySpoolAutoConfiguration.class,
                    RetrySpoolDashboardAutoConfiguration.class))
            .withPropertyValues("retryspool.store=memory", "retryspool.auto-start=false");

    @Test
    void offByDefault() {
        web.run(context -> assertThat(context).doesNotHaveBean(DashboardController.class)
                .doesNotHaveBean(DashboardPages.class));
    }

    @Test
    void servedWhenEnabledReadOnlyUnlessSaidOtherwise() {
        web.withPropertyValues("retryspool.dashboard.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(DashboardController.class).hasSingleBean(DashboardPages.class)
                    .hasSingleBean(DashboardEvents.class);
            DashboardProperties properties = context.getBean(DashboardProperties.class);
            assertThat(properties.getAccess()).isEqualTo(DashboardProperties.Access.READ_ONLY);
            assertThat(properties.getPath()).isEqualTo("/retryspool");
            assertThat(properties.getWriteRole()).isEqualTo("RETRYSPOOL_ADMIN");
        });
    }

    @Test
    void notInAnApplicationWithoutAServletWebServer() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RetrySpoolAutoConfiguration.class,
                        RetrySpoolDashboardAutoConfiguration.class))
                .withPropertyValues("retryspool.store=memory", "retryspool.auto-start=false",
                        "retryspool.dashboard.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(DashboardController.class));
    }
}
