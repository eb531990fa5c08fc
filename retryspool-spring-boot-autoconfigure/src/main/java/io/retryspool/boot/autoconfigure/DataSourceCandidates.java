package io.retryspool.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.core.type.MethodMetadata;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The DataSource beans of an application as RetrySpool's database choice sees them, read from bean definitions
 * (no bean is created): those qualified {@link RetrySpoolDataSource}, the default candidates for injection by type
 * (a bean declared {@code @Bean(defaultCandidate = false)} is not one), and the primary ones among those.
 *
 * @param qualified names of DataSource beans qualified {@link RetrySpoolDataSource}
 * @param candidates names of DataSource beans that are default candidates
 * @param primary names of the primary ones among the candidates
 */
record DataSourceCandidates(List<String> qualified, List<String> candidates, List<String> primary) {

    static DataSourceCandidates of(ConfigurableListableBeanFactory beanFactory) {
        List<String> qualified = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        List<String> primary = new ArrayList<>();
        for (String name : beanFactory.getBeanNamesForType(DataSource.class, true, false)) {
            BeanDefinition definition = beanFactory.containsBeanDefinition(name)
                    ? beanFactory.getMergedBeanDefinition(name) : null;
            if (isQualified(beanFactory, name, definition)) {
                qualified.add(name);
            }
            if (definition == null || (definition.isAutowireCandidate() && isDefaultCandidate(definition))) {
                candidates.add(name);
                if (definition != null && definition.isPrimary()) {
                    primary.add(name);
                }
            }
        }
        return new DataSourceCandidates(List.copyOf(qualified), List.copyOf(candidates), List.copyOf(primary));
    }

    /** The application DataSource RetrySpool would use: the only candidate, else the only primary one. */
    @Nullable String single() {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        return primary.size() == 1 ? primary.get(0) : null;
    }

    private static boolean isDefaultCandidate(BeanDefinition definition) {
        return !(definition instanceof AbstractBeanDefinition abstractDefinition)
                || abstractDefinition.isDefaultCandidate();
    }

    private static boolean isQualified(ConfigurableListableBeanFactory beanFactory, String name,
                                       @Nullable BeanDefinition definition) {
        if (definition instanceof AnnotatedBeanDefinition annotated) {
            MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
            if (factoryMethod != null) {
                return factoryMethod.isAnnotated(RetrySpoolDataSource.class.getName());
            }
        }
        return beanFactory.findAnnotationOnBean(name, RetrySpoolDataSource.class, false) != null;
    }
}
