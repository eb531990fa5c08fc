package io.retryspool.boot.autoconfigure;

import io.retryspool.RetrySpool;
import io.retryspool.handler.MessageHandler;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A minimal Boot application with the spool, run in a child JVM by {@link OptionalLibrariesTests} with a classpath
 * that lacks some library: it reports which optional drivers it sees, starts (arguments are Boot properties),
 * enqueues one message and exits 0 once it is delivered, 1 if it is not within 30 seconds. A start-up failure
 * ends the JVM with Boot's failure report.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, RetrySpoolAutoConfiguration.class})
public class SpoolApplicationMain {

    private static final CountDownLatch DELIVERED = new CountDownLatch(1);

    @Bean
    MessageHandler countingHandler() {
        return (context, message, body) -> DELIVERED.countDown();
    }

    public static void main(String[] args) throws InterruptedException {
        ClassLoader loader = SpoolApplicationMain.class.getClassLoader();
        System.out.println("sqlite-jdbc present: " + ClassUtils.isPresent("org.sqlite.JDBC", loader));
        System.out.println("zstd-jni present: " + ClassUtils.isPresent("com.github.luben.zstd.Zstd", loader));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SpoolApplicationMain.class)
                .web(WebApplicationType.NONE).run(args)) {
            String id = context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[]{1, 2, 3});
            boolean delivered = DELIVERED.await(30, TimeUnit.SECONDS);
            System.out.println(delivered ? "DELIVERED " + id : "NOT DELIVERED " + id);
            System.exit(delivered ? 0 : 1);
        }
    }
}
