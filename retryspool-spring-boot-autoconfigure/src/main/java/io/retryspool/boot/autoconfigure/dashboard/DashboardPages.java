package io.retryspool.boot.autoconfigure.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;

/**
 * Serves the dashboard's page and its assets from inside the jar (no CDN, works offline), with a Content-Security-Policy
 * that allows scripts, styles and connections from the application itself only: no inline script, no other origin,
 * no framing.
 */
@RestController
@RequestMapping("${retryspool.dashboard.path:/retryspool}")
final class DashboardPages {

    /** The policy every page and asset is served with. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final String ASSETS = DashboardRuntimeHints.ASSETS;
    private static final Map<String, MediaType> FILES = Map.of(
            "index.html", MediaType.TEXT_HTML,
            "app.js", MediaType.valueOf("text/javascript"),
            "app.css", MediaType.valueOf("text/css"));

    private final Map<String, byte[]> content;

    DashboardPages() {
        this.content = Map.of("index.html", read("index.html"), "app.js", read("app.js"), "app.css", read("app.css"));
    }

    /** The page's assets are relative to it, so its address ends with a slash. */
    @GetMapping("")
    ResponseEntity<byte[]> withSlash(HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(request.getRequestURI() + "/")).build();
    }

    @GetMapping("/")
    ResponseEntity<byte[]> index() {
        return serve("index.html");
    }

    @GetMapping("/assets/{name}")
    ResponseEntity<byte[]> asset(@PathVariable String name) {
        return FILES.containsKey(name) && !"index.html".equals(name) ? serve(name) : ResponseEntity.notFound().build();
    }

    private ResponseEntity<byte[]> serve(String name) {
        return ResponseEntity.ok()
                .contentType(Objects.requireNonNull(FILES.get(name)))
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .body(content.get(name));
    }

    private static byte[] read(String name) {
        try (InputStream in = new ClassPathResource(ASSETS + name, DashboardPages.class.getClassLoader()).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the dashboard asset " + name + " is missing from the jar", e);
        }
    }
}
