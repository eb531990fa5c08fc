package io.retryspool.boot.autoconfigure;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.RetrySpool;
import io.retryspool.storage.jdbc.SqliteDataSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which database the spool uses (DESIGN §5), case by case: a {@code jdbc:sqlite:} URL, a qualified DataSource declared
 * as the docs show, an unsupported application database, several DataSources with and without a primary one; the
 * choice shows in the condition report and is logged once.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseChoiceTests {

    private static final String CHOICE_LOG = "RetrySpool uses ";

    @TempDir
    Path directory;

    /** The test logging configuration shows WARN and above; the choice is logged at INFO. */
    private final Logger choiceLogger = (Logger) LoggerFactory.getLogger(RetrySpoolConnections.class);

    @BeforeEach
    void showTheChoiceLog() {
        choiceLogger.setLevel(Level.INFO);
    }

    @AfterEach
    void restoreTheLogLevel() {
        choiceLogger.setLevel(null);
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, RetrySpoolAutoConfiguration.class))
                .withPropertyValues("retryspool.sqlite.path=" + directory.resolve("spool.db"), "retryspool.auto-start=false");
    }

    @Test
    void anSqliteUrlGetsTheEmbeddedTuning(CapturedOutput output) {
        runner().withPropertyValues("retryspool.datasource.url=jdbc:sqlite:" + directory.resolve("own.db"),
                "retryspool.sqlite.busy-timeout=7s").run(context -> {
                    RetrySpoolJdbcConnection connection = context.getBean(RetrySpoolJdbcConnection.class);
                    assertThat(connection.origin()).isEqualTo(RetrySpoolJdbcConnection.Origin.DEDICATED);
                    JdbcTemplate spool = new JdbcTemplate(connection.dataSource());
                    assertThat(spool.queryForObject("PRAGMA journal_mode", String.class)).isEqualToIgnoringCase("wal");
                    assertThat(spool.queryForObject("PRAGMA synchronous", Integer.class)).as("NORMAL").isEqualTo(1);
                    assertThat(spool.queryForObject("PRAGMA busy_timeout", Integer.class)).isEqualTo(7000);
                    assertThat(directory.resolve("own.db")).exists();
                    assertThat(directory.resolve("spool.db")).doesNotExist();
                });
        assertThat(output.getOut()).containsOnlyOnce(CHOICE_LOG).contains(CHOICE_LOG + "its own pool on jdbc:sqlite:");
    }

    @Test
    void anSqliteUrlWithParametersFailsStartUpSayingWhy() {
        runner().withPropertyValues("retryspool.datasource.url=jdbc:sqlite:" + directory.resolve("own.db") + "?journal_mode=delete")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(RetrySpoolConfigurationException.class)
                        .hasMessageContaining("retryspool.datasource.url cannot be used")
                        .hasMessageContaining("without parameters"));
    }

    @Test
    void aQualifiedDataSourceDeclaredAsTheDocsShowLeavesTheApplicationsOwnToTheApplication(CapturedOutput output) {
        runner().withUserConfiguration(SpoolOwnDataSource.class)
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:clinic-" + System.nanoTime())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RetrySpoolJdbcConnection connection = context.getBean(RetrySpoolJdbcConnection.class);
                    assertThat(connection.origin()).isEqualTo(RetrySpoolJdbcConnection.Origin.QUALIFIED);
                    assertThat(connection.dataSource()).isSameAs(context.getBean("spoolDataSource"));
                    // Boot still defines the application's DataSource, and the application's beans get that one
                    DataSource application = context.getBean(DataSource.class);
                    assertThat(application).isNotSameAs(connection.dataSource());
                    assertThat(context.getBean(JdbcTemplate.class).getDataSource()).isSameAs(application);
                    assertThat(new JdbcTemplate(application).queryForObject("SELECT H2VERSION()", String.class)).isNotBlank();
                });
        assertThat(output.getOut()).containsOnlyOnce(CHOICE_LOG)
                .contains(CHOICE_LOG + "the DataSource 'spoolDataSource' qualified @RetrySpoolDataSource (SQLite")
                .doesNotContain("is also the application's only DataSource candidate");
    }

    @Test
    void aQualifiedDataSourceThatIsAlsoTheOnlyCandidateIsUsedWithAWarningNamingTheFix(CapturedOutput output) {
        runner().withUserConfiguration(QualifiedButDefaultCandidate.class)
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:clinic-" + System.nanoTime())
                .run(context -> {
                    assertThat(context.getBean(RetrySpoolJdbcConnection.class).origin())
                            .isEqualTo(RetrySpoolJdbcConnection.Origin.QUALIFIED);
                    // what the warning is about: Boot backed off, the application's beans get the spool's DataSource
                    assertThat(context.getBean(JdbcTemplate.class).getDataSource()).isSameAs(context.getBean("spoolDataSource"));
                });
        assertThat(output.getOut()).containsOnlyOnce("The DataSource 'spoolDataSource' qualified @RetrySpoolDataSource "
                + "is also the application's only DataSource candidate").contains("@Bean(defaultCandidate = false)");
    }

    @Test
    void anUnsupportedApplicationDatabaseFallsBackToTheEmbeddedFileWithOneWarning(CapturedOutput output) {
        runner().withPropertyValues("spring.datasource.url=jdbc:h2:mem:petclinic-" + System.nanoTime()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(RetrySpoolJdbcConnection.class).origin())
                    .isEqualTo(RetrySpoolJdbcConnection.Origin.EMBEDDED_SQLITE);
            String id = context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[]{1});
            assertThat(context.getBean(RetrySpool.class).getMessage(id)).isNotNull();
            assertThat(directory.resolve("spool.db")).exists();
        });
        String log = output.getOut();
        assertThat(log).containsOnlyOnce("RetrySpool does not support the application's database (H2 ")
                .contains("DataSource 'dataSource'").contains(directory.resolve("spool.db").toAbsolutePath().toString())
                .contains("enqueues do not join the application's transactions")
                .doesNotContain(CHOICE_LOG);
        assertThat(log.lines().filter(line -> line.contains("does not support the application's database")))
                .singleElement().asString().contains("WARN");
    }

    @Test
    void aPrimaryDataSourceAmongSeveralIsTheApplicationsOne() {
        runner().withUserConfiguration(TwoDataSources.class, PrimaryFirst.class).run(context -> {
            RetrySpoolJdbcConnection connection = context.getBean(RetrySpoolJdbcConnection.class);
            assertThat(connection.origin()).isEqualTo(RetrySpoolJdbcConnection.Origin.APPLICATION);
            assertThat(connection.dataSource()).isSameAs(context.getBean("primaryDataSource"));
        });
    }

    @Test
    void severalDataSourcesAndNoneChosenFailStartUpWithAReportThatNamesThemAndTheFix(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(TwoDataSourcesApplication.class)
                .web(WebApplicationType.NONE)
                .properties("retryspool.sqlite.path=" + directory.resolve("spool.db"), "spring.main.banner-mode=off");

        assertThatThrownBy(application::run).hasRootCauseInstanceOf(RetrySpoolConfigurationException.class);

        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("RetrySpool cannot choose among the application's DataSources [firstDataSource, secondDataSource]")
                .contains("Action:")
                .contains("mark the application's main DataSource @Primary")
                .contains("@Bean(defaultCandidate = false) @RetrySpoolDataSource")
                .contains("retryspool.datasource.url");
        assertThat(directory.resolve("spool.db")).as("no embedded file as a silent fallback").doesNotExist();
    }

    @Test
    void theChoiceShowsInTheConditionReport() {
        runner().withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("app.db")).run(context -> {
            var outcomes = ConditionEvaluationReport.get(context.getBeanFactory()).getConditionAndOutcomesBySource();
            assertThat(outcomes.get(RetrySpoolJdbcStoreConfiguration.ApplicationDataSourceConfiguration.class.getName())
                    .isFullMatch()).isTrue();
            assertThat(outcomes.get(RetrySpoolJdbcStoreConfiguration.ApplicationDataSourceConfiguration.class.getName())
                    .iterator().next().getOutcome().getMessage()).contains("found single DataSource candidate dataSource");
            assertThat(outcomes.get(RetrySpoolJdbcStoreConfiguration.EmbeddedSqliteConfiguration.class.getName())
                    .isFullMatch()).isFalse();
        });
    }

    @Test
    void anUnsupportedDatabaseChosenOnPurposeFailsStartUpInsteadOfFallingBack() {
        runner().withPropertyValues("retryspool.datasource.url=jdbc:h2:mem:spool-" + System.nanoTime()).run(context ->
                assertThat(context).getFailure().rootCause().isInstanceOf(RetrySpoolConfigurationException.class)
                        .hasMessageContaining("RetrySpool cannot use retryspool.datasource.url")
                        .hasMessageContaining("does not support H2"));
    }

    /** The application's DataSource comes from spring.datasource.*; the spool gets its own, as docs/configuration.md shows. */
    @Configuration(proxyBeanMethods = false)
    static class SpoolOwnDataSource {

        @Bean(defaultCandidate = false, destroyMethod = "close")
        @RetrySpoolDataSource
        HikariDataSource spoolDataSource() {
            return SqliteDataSources.create(Path.of(System.getProperty("java.io.tmpdir"),
                    "retryspool-qualified-" + System.nanoTime() + ".db"));
        }
    }

    /** The qualified DataSource declared without defaultCandidate = false, as earlier docs showed. */
    @Configuration(proxyBeanMethods = false)
    static class QualifiedButDefaultCandidate {

        @Bean(destroyMethod = "close")
        @RetrySpoolDataSource
        HikariDataSource spoolDataSource() {
            return sqlite("qualified");
        }
    }

    /** Two plain DataSources. */
    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {

        @Bean(destroyMethod = "close")
        HikariDataSource firstDataSource() {
            return sqlite("first");
        }

        @Bean(destroyMethod = "close")
        HikariDataSource secondDataSource() {
            return sqlite("second");
        }
    }

    /** A third DataSource, marked primary. */
    @Configuration(proxyBeanMethods = false)
    static class PrimaryFirst {

        @Bean(destroyMethod = "close")
        @Primary
        HikariDataSource primaryDataSource() {
            return sqlite("primary");
        }
    }

    /** An application with two DataSources and neither primary nor qualified. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(RetrySpoolAutoConfiguration.class)
    static class TwoDataSourcesApplication extends TwoDataSources {
    }

    private static HikariDataSource sqlite(String name) {
        return SqliteDataSources.create(Path.of(System.getProperty("java.io.tmpdir"),
                "retryspool-" + name + "-" + System.nanoTime() + ".db"));
    }
}
