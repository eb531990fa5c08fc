package io.retryspool.boot.autoconfigure.endpoint;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.retryspool.DestinationStatus;
import io.retryspool.EnqueueRequest;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.RetrySpoolAutoConfiguration;
import io.retryspool.boot.autoconfigure.testing.FakeDestinations;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.OperationFilter;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.invoke.convert.ConversionServiceParameterValueMapper;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpointDiscoverer;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RetrySpoolEndpointAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetrySpoolAutoConfiguration.class,
                    RetrySpoolEndpointAutoConfiguration.class, JacksonEndpointAutoConfiguration.class))
            .withPropertyValues("retryspool.store=memory", "retryspool.auto-start=false",
                    "management.endpoints.web.exposure.include=health,retryspool");

    @Test
    void endpointIsCreatedWhenItIsExposed() {
        runner.run(context -> assertThat(context).hasSingleBean(RetrySpoolEndpoint.class));
    }

    @Test
    void endpointIsAbsentWhenItIsNotExposed() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=health").run(context -> {
            assertThat(context).hasSingleBean(RetrySpool.class);
            assertThat(context).doesNotHaveBean(RetrySpoolEndpoint.class);
        });
    }

    @Test
    void autoConfigurationBacksOffWhenTheUserDefinesTheEndpoint() {
        runner.withUserConfiguration(UserEndpointConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(RetrySpoolEndpoint.class);
            assertThat(context).hasBean("myRetrySpoolEndpoint");
        });
    }

    @Test
    void withoutActuatorOnTheClassPathTheContextStartsWithASpool() {
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(RetrySpool.class);
            assertThat(context).doesNotHaveBean(RetrySpoolEndpoint.class);
        });
    }

    @Test
    void withoutASpoolThereIsNoEndpoint() {
        runner.withPropertyValues("retryspool.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(RetrySpool.class);
            assertThat(context).doesNotHaveBean(RetrySpoolEndpoint.class);
        });
    }

    @Test
    void webOperationsAreMappedToTheDocumentedPathsAndMethods() {
        runner.run(context -> assertThat(webOperations(context))
                .extracting(operation -> operation.getRequestPredicate().getHttpMethod() + " "
                        + operation.getRequestPredicate().getPath())
                .containsExactlyInAnyOrder("GET retryspool", "GET retryspool/{state}", "POST retryspool/{id}",
                        "DELETE retryspool/{id}", "POST retryspool", "POST retryspool/{section}/{name}"));
    }

    @Test
    void theEndpointIsReadOnlyUnlessItsAccessIsUnrestricted() {
        runner.run(context -> assertThat(routes(webOperations(context, OperationFilter.byAccess(
                new PropertiesEndpointAccessResolver(context.getEnvironment())))))
                .containsExactlyInAnyOrder("GET retryspool", "GET retryspool/{state}"));
        // A Boot application's environment converts "unrestricted" (ApplicationConversionService); give the runner's one too
        runner.withInitializer(context -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
                .withPropertyValues("management.endpoint.retryspool.access=unrestricted")
                .run(context -> assertThat(routes(webOperations(context, OperationFilter.byAccess(
                        new PropertiesEndpointAccessResolver(context.getEnvironment())))))
                        .containsExactlyInAnyOrder("GET retryspool", "GET retryspool/{state}", "POST retryspool/{id}",
                                "DELETE retryspool/{id}", "POST retryspool", "POST retryspool/{section}/{name}"));
    }

    @Test
    void showValuesAndRolesConfigureTheMasking() {
        runner.withPropertyValues("management.endpoint.retryspool.show-values=when-authorized",
                "management.endpoint.retryspool.roles=OPS").run(context -> {
                    RetrySpoolEndpointProperties properties = context.getBean(RetrySpoolEndpointProperties.class);
                    assertThat(properties.getShowValues()).isEqualTo(Show.WHEN_AUTHORIZED);
                    assertThat(properties.getRoles()).containsExactly("OPS");
                    context.getBean(RetrySpool.class).enqueue(Map.of("to", "ops@example.com"), new byte[]{1});
                    RetrySpoolEndpoint endpoint = context.getBean(RetrySpoolEndpoint.class);
                    var page = (RetrySpoolEndpoint.MessagePageDescriptor) endpoint
                            .messages(SecurityContext.NONE, "INCOMING", null, null, null, null, null, null).getBody();
                    assertThat(page.items().get(0).headers()).containsEntry("to", RetrySpoolEndpoint.MASK);
                });
    }

    @Test
    void webOperationsBindQueryParametersAndTheRequestBody() {
        runner.run(context -> {
            RetrySpool spool = context.getBean(RetrySpool.class);
            String first = spool.enqueue(Map.of(), new byte[0]);
            spool.enqueue(Map.of(), new byte[0]);
            List<WebOperation> operations = webOperations(context);

            Object page = invoke(operations, "GET retryspool/{state}", Map.of("state", "incoming", "limit", "1"));
            Object unlimited = invoke(operations, "GET retryspool/{state}", Map.of("state", "incoming"));
            Object held = invoke(operations, "POST retryspool/{id}", Map.of("id", first, "action", "hold"));
            Object deleted = invoke(operations, "DELETE retryspool/{id}", Map.of("id", first));

            assertThat(((RetrySpoolEndpoint.MessagePageDescriptor) body(page)).items()).hasSize(1);
            assertThat(((RetrySpoolEndpoint.MessagePageDescriptor) body(unlimited)).items()).hasSize(2);
            assertThat(((RetrySpoolEndpoint.MessageDescriptor) body(held)).state()).isEqualTo(QueueState.HOLD);
            assertThat(((WebEndpointResponse<?>) deleted).getStatus()).isEqualTo(204);
        });
    }

    @Test
    void theStateListingBindsItsOptionalCriteriaFromQueryParameters() {
        runner.run(context -> {
            RetrySpool spool = context.getBean(RetrySpool.class);
            String acme = spool.enqueue(Map.of("tenant", "acme"), new byte[0]);
            spool.enqueue(Map.of("tenant", "other"), new byte[0]);
            String toHooks = spool.enqueue(EnqueueRequest.builder().header("tenant", "other")
                    .destination("hooks.example.com").body(new byte[0]).build());
            List<WebOperation> readOnly = webOperations(context, OperationFilter.byAccess(
                    new PropertiesEndpointAccessResolver(context.getEnvironment())));

            Object byHeader = invoke(readOnly, "GET retryspool/{state}", Map.of("state", "incoming",
                    "header", "tenant:acme", "limit", "10"));
            Object byAge = invoke(readOnly, "GET retryspool/{state}", Map.of("state", "incoming", "olderThan", "1h"));
            Object byError = invoke(readOnly, "GET retryspool/{state}", Map.of("state", "incoming",
                    "errorContains", "refused"));
            Object byDestination = invoke(readOnly, "GET retryspool/{state}", Map.of("state", "incoming",
                    "destination", "hooks.example.com"));
            Object malformed = invoke(readOnly, "GET retryspool/{state}", Map.of("state", "incoming",
                    "olderThan", "an hour"));

            var page = (RetrySpoolEndpoint.MessagePageDescriptor) body(byHeader);
            assertThat(page.items()).extracting(RetrySpoolEndpoint.MessageDescriptor::id).containsExactly(acme);
            assertThat(page.total()).isEqualTo(-1);
            assertThat(((RetrySpoolEndpoint.MessagePageDescriptor) body(byAge)).items()).isEmpty();
            assertThat(((RetrySpoolEndpoint.MessagePageDescriptor) body(byAge)).total()).isZero();
            assertThat(((RetrySpoolEndpoint.MessagePageDescriptor) body(byError)).items()).isEmpty();
            assertThat(((RetrySpoolEndpoint.MessagePageDescriptor) body(byDestination)).items())
                    .extracting(RetrySpoolEndpoint.MessageDescriptor::id).containsExactly(toHooks);
            assertThat(((WebEndpointResponse<?>) malformed).getStatus()).isEqualTo(400);
        });
    }

    @Test
    void theBulkOperationBindsTheActionTheCriteriaAndTheDryRunFromTheRequestBody() {
        runner.run(context -> {
            RetrySpool spool = context.getBean(RetrySpool.class);
            String held = spool.enqueue(Map.of("tenant", "acme"), new byte[0]);
            spool.enqueue(Map.of("tenant", "other"), new byte[0]);
            spool.moveToState(held, QueueState.INCOMING, QueueState.HOLD);
            List<WebOperation> operations = webOperations(context);
            // as Actuator's web layer hands over a JSON body: a map of strings, the criteria as top-level fields
            Map<String, Object> noMatchBody = Map.of("action", "release", "state", "hold", "header", "tenant:acme",
                    "olderThan", "0s", "errorContains", "x");

            Object dryRun = invoke(operations, "POST retryspool", Map.of("action", "release",
                    "header", "tenant:acme", "dryRun", "true"));
            Object noMatch = invoke(operations, "POST retryspool", noMatchBody);
            Object otherDestination = invoke(operations, "POST retryspool", Map.of("action", "release",
                    "destination", "hooks.example.com", "dryRun", "true"));
            Object released = invoke(operations, "POST retryspool", Map.of("action", "release",
                    "state", "HOLD", "dryRun", "false"));
            Object badFilter = invoke(operations, "POST retryspool", Map.of("action", "release",
                    "state", "DEFERRED"));

            assertThat(body(dryRun)).isEqualTo(new RetrySpoolEndpoint.BulkActionDescriptor(1, false, 0));
            assertThat(body(noMatch)).isEqualTo(new RetrySpoolEndpoint.BulkActionDescriptor(0, false, 0));
            assertThat(body(otherDestination)).isEqualTo(new RetrySpoolEndpoint.BulkActionDescriptor(0, false, 0));
            assertThat(body(released)).isEqualTo(new RetrySpoolEndpoint.BulkActionDescriptor(1, false, 1));
            assertThat(spool.getMessage(held).metadata().state()).isEqualTo(QueueState.INCOMING);
            assertThat(((WebEndpointResponse<?>) badFilter).getStatus()).isEqualTo(400);
            var json = context.getBean(EndpointJsonMapper.class).get();
            DocumentContext written = JsonPath.parse(json.writeValueAsString(body(released)));
            assertThat(written.<Map<String, Object>>read("$")).containsOnly(Map.entry("matched", 1),
                    Map.entry("estimated", false), Map.entry("changed", 1));
        });
    }

    @Test
    void responsesSerializeToTheDocumentedJson() {
        runner.withPropertyValues("retryspool.archive.success=true").run(context -> {
            RetrySpool spool = context.getBean(RetrySpool.class);
            RetrySpoolEndpoint endpoint = context.getBean(RetrySpoolEndpoint.class);
            String id = spool.enqueue(Map.of("to", "ops@example.com"), new byte[]{1, 2});
            String delivered = spool.enqueue(Map.of(), new byte[0]);
            spool.process(delivered, (messageContext, message, body) -> { });
            var json = context.getBean(EndpointJsonMapper.class).get();

            DocumentContext overview = JsonPath.parse(json.writeValueAsString(endpoint.overview()));
            DocumentContext page = JsonPath.parse(json.writeValueAsString(
                    endpoint.messages(SecurityContext.NONE, "INCOMING", 10, null, null, null, null, null).getBody()));
            DocumentContext archived = JsonPath.parse(json.writeValueAsString(
                    endpoint.messages(SecurityContext.NONE, "ARCHIVED", 10, null, null, null, null, null).getBody()));
            DocumentContext notFound = JsonPath.parse(json.writeValueAsString(
                    endpoint.action(SecurityContext.NONE, "nope", "hold").getBody()));

            assertThat(overview.<Map<String, Object>>read("$.counts")).containsOnlyKeys("INCOMING", "ACTIVE",
                    "DEFERRED", "HOLD", "BOUNCE", "ARCHIVED");
            assertThat(overview.<Integer>read("$.counts.INCOMING")).isEqualTo(1);
            assertThat(overview.<Boolean>read("$.running")).isFalse();
            assertThat(overview.<String>read("$.oldestDue")).endsWith("Z");
            assertThat(overview.<List<Object>>read("$.suspendedDestinations")).isEmpty();
            assertThat(page.<String>read("$.items[0].id")).isEqualTo(id);
            assertThat(page.<String>read("$.items[0].state")).isEqualTo("INCOMING");
            assertThat(page.<String>read("$.items[0].headers.to")).as("masked by default").isEqualTo("******");
            assertThat(page.<Integer>read("$.items[0].size")).isEqualTo(2);
            assertThat(page.<Map<String, Object>>read("$.items[0]")).doesNotContainKey("body");
            assertThat(page.<Integer>read("$.total")).isEqualTo(1);
            assertThat(page.<Boolean>read("$.hasMore")).isFalse();
            assertThat(page.<Map<String, Object>>read("$.items[0]")).as("null fields are left out")
                    .doesNotContainKey("archivedAs");
            assertThat(archived.<String>read("$.items[0].id")).isEqualTo(delivered);
            assertThat(archived.<String>read("$.items[0].archivedAs")).isEqualTo("DELIVERED");
            assertThat(notFound.<Integer>read("$.status")).isEqualTo(404);
            assertThat(notFound.<String>read("$.id")).isEqualTo("nope");
        });
    }

    @Test
    void backlogIsServedByTheStateReadOperationUnderTheDefaultReadOnlyAccessAsTheDocumentedJson() {
        runner.run(context -> {
            context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[0]);
            List<WebOperation> readOnly = webOperations(context, OperationFilter.byAccess(
                    new PropertiesEndpointAccessResolver(context.getEnvironment())));
            var json = context.getBean(EndpointJsonMapper.class).get();

            Object response = invoke(readOnly, "GET retryspool/{state}", Map.of("state", "backlog"));
            DocumentContext backlog = JsonPath.parse(json.writeValueAsString(body(response)));

            assertThat(backlog.<String>read("$.takenAt")).endsWith("Z");
            assertThat(backlog.<List<String>>read("$.buckets"))
                    .containsExactly("5m", "10m", "20m", "40m", "80m", "160m", "320m", "640m", "1280m", "+Inf");
            assertThat(backlog.<Map<String, Object>>read("$.states")).containsOnlyKeys("INCOMING", "ACTIVE",
                    "DEFERRED", "HOLD", "BOUNCE");
            assertThat(backlog.<List<Integer>>read("$.states.INCOMING")).containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            assertThat(backlog.<Integer>read("$.totals.INCOMING")).isEqualTo(1);
        });
    }

    @Test
    void suspendedDestinationsAreReadUnderTheDefaultAccessAndResumedByAWriteOperationAsTheDocumentedJson() {
        FakeDestinations destinations = new FakeDestinations()
                .put(new DestinationStatus("mail.example.com", 5, 1, Instant.now().plusSeconds(300)))
                .put(new DestinationStatus("hooks.example.com", 6, 2, Instant.now().minusSeconds(60)));
        runner.withBean("fakeDestinations", FakeDestinations.class, () -> destinations)
                .withUserConfiguration(SpoolWithFakeDestinations.class).run(context -> {
                    List<WebOperation> readOnly = webOperations(context, OperationFilter.byAccess(
                            new PropertiesEndpointAccessResolver(context.getEnvironment())));
                    var json = context.getBean(EndpointJsonMapper.class).get();

                    DocumentContext overview = JsonPath.parse(json.writeValueAsString(
                            invoke(readOnly, "GET retryspool", Map.of())));
                    DocumentContext listed = JsonPath.parse(json.writeValueAsString(body(
                            invoke(readOnly, "GET retryspool/{state}", Map.of("state", "destinations")))));
                    DocumentContext resumed = JsonPath.parse(json.writeValueAsString(body(invoke(webOperations(context),
                            "POST retryspool/{section}/{name}", Map.of("section", "destinations",
                                    "name", "mail.example.com", "action", "resume")))));

                    assertThat(overview.<List<String>>read("$.suspendedDestinations[*].name"))
                            .containsExactly("hooks.example.com", "mail.example.com");
                    assertThat(listed.<String>read("$.takenAt")).endsWith("Z");
                    assertThat(listed.<List<String>>read("$.suspended[*].name"))
                            .containsExactly("hooks.example.com", "mail.example.com");
                    assertThat(listed.<Map<String, Object>>read("$.suspended[1]")).containsOnlyKeys("name", "state",
                            "failures", "suspensions", "suspendedUntil");
                    assertThat(listed.<String>read("$.suspended[0].state")).isEqualTo("PROBING");
                    assertThat(listed.<String>read("$.suspended[1].state")).isEqualTo("PAUSED");
                    assertThat(listed.<Integer>read("$.suspended[1].failures")).isEqualTo(5);
                    assertThat(listed.<Integer>read("$.suspended[1].suspensions")).isEqualTo(1);
                    assertThat(listed.<String>read("$.suspended[1].suspendedUntil")).endsWith("Z");
                    assertThat(resumed.<Map<String, Object>>read("$")).containsOnly(Map.entry("name", "mail.example.com"),
                            Map.entry("state", "HEALTHY"), Map.entry("failures", 0), Map.entry("suspensions", 0));
                    assertThat(destinations.status("mail.example.com").suspended()).isFalse();
                });
    }

    private static List<String> routes(List<WebOperation> operations) {
        return operations.stream().map(operation -> operation.getRequestPredicate().getHttpMethod() + " "
                + operation.getRequestPredicate().getPath()).toList();
    }

    private static List<WebOperation> webOperations(ApplicationContext context) {
        return webOperations(context, (operation, endpointId, access) -> true);
    }

    private static List<WebOperation> webOperations(ApplicationContext context, OperationFilter<WebOperation> filter) {
        WebEndpointDiscoverer discoverer = new WebEndpointDiscoverer(context,
                new ConversionServiceParameterValueMapper(), EndpointMediaTypes.DEFAULT, List.of(), List.of(),
                List.of(), List.of(), List.of(filter));
        ExposableWebEndpoint endpoint = discoverer.getEndpoints().stream()
                .filter(candidate -> candidate.getEndpointId().equals(EndpointId.of("retryspool")))
                .findFirst().orElseThrow();
        return List.copyOf(endpoint.getOperations());
    }

    private static Object invoke(List<WebOperation> operations, String route, Map<String, Object> arguments) {
        WebOperation operation = operations.stream()
                .filter(candidate -> route.equals(candidate.getRequestPredicate().getHttpMethod() + " "
                        + candidate.getRequestPredicate().getPath()))
                .findFirst().orElseThrow();
        return operation.invoke(new InvocationContext(SecurityContext.NONE, Map.copyOf(arguments)));
    }

    private static Object body(Object response) {
        WebEndpointResponse<?> webResponse = (WebEndpointResponse<?>) response;
        assertThat(webResponse.getStatus()).as("status of %s", webResponse.getBody()).isEqualTo(200);
        return webResponse.getBody();
    }

    /** The auto-configured kind of spool, its destinations' statuses from a {@link FakeDestinations} bean. */
    @Configuration(proxyBeanMethods = false)
    static class SpoolWithFakeDestinations {

        @Bean(destroyMethod = "")
        RetrySpool retrySpool(FakeDestinations destinations) {
            return destinations.around(RetrySpool.builder().metaStore(new InMemoryMetaStore())
                    .dataStore(new InMemoryDataStore()).build());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserEndpointConfiguration {

        @Bean
        RetrySpoolEndpoint myRetrySpoolEndpoint(RetrySpool spool) {
            return new RetrySpoolEndpoint(spool, Show.NEVER, Set.of());
        }
    }
}
