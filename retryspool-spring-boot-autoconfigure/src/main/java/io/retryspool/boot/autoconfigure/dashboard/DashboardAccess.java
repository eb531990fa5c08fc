package io.retryspool.boot.autoconfigure.dashboard;

import jakarta.servlet.http.HttpServletRequest;

import java.security.Principal;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who may do what on the dashboard: actions need {@code retryspool.dashboard.access=unrestricted} and, when Spring
 * Security is present, the write role; header values follow the {@code retryspool} endpoint's {@code show-values}
 * rule ({@code management.endpoint.retryspool.show-values} and {@code .roles}). Roles are checked with
 * {@link HttpServletRequest#isUserInRole}, which Spring Security answers from the authenticated user's authorities.
 */
final class DashboardAccess {

    /** When header values are shown, as the endpoint's {@code show-values}. */
    enum ShowValues {
        NEVER, WHEN_AUTHORIZED, ALWAYS
    }

    private final DashboardProperties.Access access;
    private final String writeRole;
    private final boolean securityPresent;
    private final ShowValues showValues;
    private final Set<String> showRoles;

    DashboardAccess(DashboardProperties properties, boolean securityPresent, ShowValues showValues, Set<String> showRoles) {
        this.access = properties.getAccess();
        this.writeRole = properties.getWriteRole();
        this.securityPresent = securityPresent;
        this.showValues = showValues;
        this.showRoles = Set.copyOf(showRoles);
    }

    boolean canWrite(HttpServletRequest request) {
        return access == DashboardProperties.Access.UNRESTRICTED && (!securityPresent || request.isUserInRole(writeRole));
    }

    /** Why a write is refused, for the 403 answer. */
    String writeRefusal(HttpServletRequest request) {
        if (access != DashboardProperties.Access.UNRESTRICTED) {
            return "the dashboard is read-only (retryspool.dashboard.access=read-only)";
        }
        return "this needs the role " + writeRole + " (retryspool.dashboard.write-role); "
                + (request.getUserPrincipal() == null ? "sign in first" : who(request) + " does not have it");
    }

    boolean showsValues(HttpServletRequest request) {
        return switch (showValues) {
            case NEVER -> false;
            case ALWAYS -> true;
            case WHEN_AUTHORIZED -> request.getUserPrincipal() != null
                    && (showRoles.isEmpty() || showRoles.stream().anyMatch(request::isUserInRole));
        };
    }

    static String who(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        return principal != null ? principal.getName() : "anonymous (" + request.getRemoteAddr() + ")";
    }

    static ShowValues showValues(@Nullable String value) {
        return value == null || value.isBlank() ? ShowValues.NEVER
                : ShowValues.valueOf(value.trim().replace('-', '_').toUpperCase(Locale.ROOT));
    }
}
