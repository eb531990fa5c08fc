package io.retryspool.boot.autoconfigure.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the operator dashboard ({@code retryspool.dashboard.*}).
 */
@ConfigurationProperties("retryspool.dashboard")
public class DashboardProperties {

    /** Access to the dashboard's actions. */
    public enum Access {
        /** Pages and data only; every action is refused. */
        READ_ONLY,
        /** Actions allowed (with Spring Security, to users with the write role). */
        UNRESTRICTED
    }

    /**
     * Whether to serve the operator dashboard (Spring MVC applications).
     */
    private boolean enabled;

    /**
     * Path the dashboard is served under.
     */
    private String path = "/retryspool";

    /**
     * Access to the dashboard's actions: read-only, or unrestricted (hold, release, requeue, bounce, delete,
     * retry policy).
     */
    private Access access = Access.READ_ONLY;

    /**
     * Role a user needs for the dashboard's actions when Spring Security is present.
     */
    private String writeRole = "RETRYSPOOL_ADMIN";

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Access getAccess() {
        return access;
    }

    public void setAccess(Access access) {
        this.access = access;
    }

    public String getWriteRole() {
        return writeRole;
    }

    public void setWriteRole(String writeRole) {
        this.writeRole = writeRole;
    }
}
