package io.retryspool.boot.autoconfigure;

import java.util.Objects;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.Map;

/**
 * Decides which database RetrySpool uses (DESIGN §5), from {@code retryspool.datasource.url}, a
 * {@link RetrySpoolConnectionDetails} bean, and the DataSource bean definitions registered so far; evaluated when beans are registered, after the application's own configuration and
 * Boot's DataSource auto-configuration.
 */
class OnRetrySpoolDatabaseCondition extends SpringBootCondition implements ConfigurationCondition {

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = Objects.requireNonNull(
                metadata.getAnnotationAttributes(ConditionalOnRetrySpoolDatabase.class.getName()));
        DatabaseChoice wanted = (DatabaseChoice) Objects.requireNonNull(attributes.get("value"));
        ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnRetrySpoolDatabase.class, wanted);
        String url = context.getEnvironment().getProperty("retryspool.datasource.url");
        if (url != null && !url.isBlank()) {
            return outcome(wanted, DatabaseChoice.DEDICATED, message.because("retryspool.datasource.url is set"));
        }
        if (context.getBeanFactory() == null) {
            return outcome(wanted, DatabaseChoice.EMBEDDED, message.because("there is no bean factory"));
        }
        String[] connectionDetails = context.getBeanFactory()
                .getBeanNamesForType(RetrySpoolConnectionDetails.class, true, false);
        if (connectionDetails.length > 0) {
            return outcome(wanted, DatabaseChoice.DEDICATED, message.found("RetrySpoolConnectionDetails")
                    .items((Object[]) connectionDetails));
        }
        DataSourceCandidates dataSources = DataSourceCandidates.of(context.getBeanFactory());
        if (dataSources.qualified().size() == 1) {
            return outcome(wanted, DatabaseChoice.QUALIFIED, message.found("DataSource qualified @RetrySpoolDataSource")
                    .items(dataSources.qualified()));
        }
        if (dataSources.qualified().size() > 1) {
            return outcome(wanted, DatabaseChoice.AMBIGUOUS, message.found("DataSources qualified @RetrySpoolDataSource")
                    .items(dataSources.qualified()));
        }
        if (dataSources.candidates().isEmpty()) {
            return outcome(wanted, DatabaseChoice.EMBEDDED, message.didNotFind("DataSource candidate").atAll());
        }
        String single = dataSources.single();
        if (single != null) {
            return outcome(wanted, DatabaseChoice.APPLICATION, message.found("single DataSource candidate").items(single));
        }
        return outcome(wanted, DatabaseChoice.AMBIGUOUS, message.found("DataSource candidates, none primary")
                .items(dataSources.candidates()));
    }

    private static ConditionOutcome outcome(DatabaseChoice wanted, DatabaseChoice actual, ConditionMessage message) {
        return new ConditionOutcome(wanted == actual, message);
    }
}
