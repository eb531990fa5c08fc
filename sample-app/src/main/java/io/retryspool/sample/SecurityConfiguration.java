package io.retryspool.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what: anyone may send notifications and read Actuator (with the spool's header values masked);
 * acting on the spool through Actuator (hold, release, requeue, bounce, delete) needs the role {@code OPERATOR},
 * given to the user {@code spring.security.user.*} defines (see application.yml), over HTTP Basic.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** The role that may act on the spool, and see header values. */
    static final String OPERATOR = "OPERATOR";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/actuator/**").permitAll()
                        .requestMatchers("/actuator/**").hasRole(OPERATOR)
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                // a stateless JSON API: no session, no cookie, every write carries its own credentials, so there is
                // nothing for a cross-site request to ride on
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }
}
