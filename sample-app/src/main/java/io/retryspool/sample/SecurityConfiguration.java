package io.retryspool.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Who may do what: anyone may send notifications, read Actuator and look at the dashboard (with header values
 * masked); acting on the spool (hold, release, requeue, bounce, delete), through Actuator or the dashboard, needs the
 * role {@code OPERATOR}, given to the user {@code spring.security.user.*} defines (see application.yml). The JSON APIs
 * ({@code /notifications}, {@code /actuator}) take HTTP Basic on each request and keep no session, so CSRF protection
 * is off for them; the dashboard signs in with a form, keeps a session, and its writes carry Spring Security's CSRF
 * token.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** The role that may act on the spool, and see header values. */
    static final String OPERATOR = "OPERATOR";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/actuator/**", "/retryspool", "/retryspool/**").permitAll()
                        .requestMatchers("/actuator/**", "/retryspool/**").hasRole(OPERATOR)
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .formLogin(login -> login.defaultSuccessUrl("/retryspool/", false))
                // the JSON APIs answer 401, not a redirect to the login page
                .exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(
                        new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), paths.matcher("/actuator/**")))
                .csrf(csrf -> csrf.ignoringRequestMatchers(paths.matcher("/notifications/**"),
                        paths.matcher("/notifications"), paths.matcher("/actuator/**")))
                .build();
    }
}
