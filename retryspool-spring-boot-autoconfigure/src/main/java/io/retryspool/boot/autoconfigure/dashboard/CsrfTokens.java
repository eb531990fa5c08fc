package io.retryspool.boot.autoconfigure.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Spring Security's CSRF token of a request, when Spring Security is on the classpath and protects it; the dashboard's
 * script sends it back on every write. Spring Security's classes are touched only when present.
 */
final class CsrfTokens {

    private static final boolean SECURITY_WEB = ClassUtils.isPresent(
            "org.springframework.security.web.csrf.CsrfToken", CsrfTokens.class.getClassLoader());

    private CsrfTokens() {
    }

    /** A token and the header it goes in. */
    record Token(String headerName, String token) {
    }

    static @Nullable Token of(HttpServletRequest request) {
        return SECURITY_WEB ? SpringSecurity.token(request) : null;
    }

    /** Loaded only when Spring Security's web module is present. */
    private static final class SpringSecurity {

        static @Nullable Token token(HttpServletRequest request) {
            Object attribute = request.getAttribute(org.springframework.security.web.csrf.CsrfToken.class.getName());
            if (attribute instanceof org.springframework.security.web.csrf.CsrfToken csrf) {
                return new Token(csrf.getHeaderName(), csrf.getToken());
            }
            return null;
        }
    }
}
