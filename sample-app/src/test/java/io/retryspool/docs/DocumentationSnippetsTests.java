package io.retryspool.docs;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compiles every {@code ```java} block of the repository's Markdown files (README.md, docs/, sample-app/README.md
 * and any other {@code *.md} outside {@code target/}) with javac against this module's test classpath: the starter,
 * Spring Boot, Actuator, Spring MVC and the sample app's own classes.
 * <p>
 * The rule for snippets, so that a reader can paste each one into a file:
 * <ul>
 * <li>every {@code ```java} block is a whole compilation unit: its {@code import} lines, then one or more
 * top-level types; no {@code package} line, no {@code ...} for left-out code (a few statements go into a small
 * class with a method);</li>
 * <li>the blocks of one Markdown file are compiled together, each as its own file in one package, as a reader would
 * paste them into one project: a block may use a type that another block of the same file declares (README's
 * plain-Java spool uses its {@code EmailHandler}). Everything else is imported: the JDK, RetrySpool, Spring, or the
 * sample app's records ({@code io.retryspool.sample}).</li>
 * </ul>
 * Each block is one test case named after its file and the line of its opening fence ({@code docs/storage.md:18});
 * it fails with javac's errors, each located in the Markdown file.
 */
class DocumentationSnippetsTests {

    private static final Pattern FENCE_OPEN = Pattern.compile("^( {0,3})(`{3,}|~{3,})\\s*([^\\s`]*).*$");

    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)",
            Pattern.MULTILINE);

    private static final Pattern ANY_TYPE = Pattern.compile(
            "^(?:(?:public|final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)",
            Pattern.MULTILINE);

    private static final JavaCompiler COMPILER = ToolProvider.getSystemJavaCompiler();

    private static final StandardJavaFileManager FILE_MANAGER = classPathFileManager();

    private static final Path ROOT = repositoryRoot();

    private static final List<Snippet> SNIPPETS = allSnippets();

    /** A {@code ```java} block: the Markdown file (relative to the repository root), its fence's line, its text. */
    record Snippet(String file, int line, String code) {

        /** The name javac sees: the public type's name when there is one (javac insists), else the first type's. */
        String sourceName() {
            Matcher publicType = PUBLIC_TYPE.matcher(code);
            if (publicType.find()) {
                return publicType.group(1);
            }
            Matcher anyType = ANY_TYPE.matcher(code);
            return anyType.find() ? anyType.group(1) : "Snippet";
        }

        JavaFileObject source() {
            URI uri = URI.create("string:///" + file.replaceAll("[^A-Za-z0-9]", "_") + "_" + line + "/" + sourceName()
                    + JavaFileObject.Kind.SOURCE.extension);
            return new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            };
        }

        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    static Stream<Named<Snippet>> snippets() {
        if (SNIPPETS.isEmpty()) {
            throw new IllegalStateException("no ```java block in any Markdown file under " + ROOT);
        }
        return SNIPPETS.stream().map(snippet -> Named.of(snippet.toString(), snippet));
    }

    @Test
    void theReadmeAndTheDocsHaveJavaSnippets() {
        List<String> files = SNIPPETS.stream().map(Snippet::file).distinct().toList();
        assertThat(files).contains("README.md").anySatisfy(file -> assertThat(file).startsWith("docs/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void snippetCompilesAsShown(Snippet snippet) {
        List<Snippet> page = SNIPPETS.stream().filter(other -> other.file().equals(snippet.file())).toList();
        Compilation compilation = compile(page);
        List<Diagnostic<? extends JavaFileObject>> errors = compilation.errorsOf(snippet);
        assertThat(errors).withFailMessage(() -> compilation.describe(snippet, errors, "does not compile as shown"))
                .isEmpty();
        if (!compilation.succeeded()) {
            // other blocks of the page are broken (after a syntax error javac checks no file at all): this block
            // passes if it compiles without them
            List<Snippet> broken = page.stream().filter(other -> !compilation.errorsOf(other).isEmpty()).toList();
            Compilation without = compile(page.stream().filter(other -> !broken.contains(other)).toList());
            List<Diagnostic<? extends JavaFileObject>> ownErrors = without.errorsOf(snippet);
            assertThat(ownErrors).withFailMessage(() -> without.describe(snippet, ownErrors,
                    "uses a ```java block that does not compile (" + broken.stream().map(Snippet::toString)
                            .collect(Collectors.joining(", ")) + ")")).isEmpty();
        }
    }

    private static Compilation compile(List<Snippet> snippets) {
        Map<JavaFileObject, Snippet> sources = new LinkedHashMap<>();
        snippets.forEach(snippet -> sources.put(snippet.source(), snippet));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean succeeded = COMPILER.getTask(null, new DiscardingOutput(FILE_MANAGER), diagnostics,
                List.of("-proc:none", "-implicit:none", "-Xlint:none"), null, sources.keySet()).call();
        List<Diagnostic<? extends JavaFileObject>> errors = diagnostics.getDiagnostics().stream()
                .filter(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
                .toList();
        return new Compilation(succeeded, errors, sources);
    }

    /** What javac said about some blocks of one page. */
    private record Compilation(boolean succeeded, List<Diagnostic<? extends JavaFileObject>> errors,
            Map<JavaFileObject, Snippet> sources) {

        List<Diagnostic<? extends JavaFileObject>> errorsOf(Snippet snippet) {
            return errors.stream().filter(error -> snippet.equals(sources.get(error.getSource()))).toList();
        }

        /** The failure message: javac's errors, each located in its Markdown file (fence line + line in the block). */
        String describe(Snippet snippet, List<Diagnostic<? extends JavaFileObject>> errors, String problem) {
            StringBuilder message = new StringBuilder("The ```java block at " + snippet + " " + problem
                    + " (each block must be a whole compilation unit: imports, then a class; see DocumentationSnippetsTests):");
            for (Diagnostic<? extends JavaFileObject> error : errors) {
                Snippet source = sources.getOrDefault(error.getSource(), snippet);
                long line = error.getLineNumber();
                message.append("\n  ").append(line > 0 ? source.file() + ":" + (source.line() + line) : source)
                        .append(": error: ").append(error.getMessage(Locale.ROOT).replace("\n", "\n      "));
                if (line > 0) {
                    source.code().lines().skip(line - 1).findFirst()
                            .ifPresent(code -> message.append("\n      > ").append(code.strip()));
                }
            }
            return message.toString();
        }
    }

    private static List<Snippet> allSnippets() {
        List<Path> markdownFiles = new ArrayList<>();
        try {
            Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                    String name = folder.getFileName().toString();
                    boolean skipped = !folder.equals(ROOT)
                            && (name.equals("target") || name.equals("node_modules") || name.startsWith("."));
                    return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (file.getFileName().toString().endsWith(".md")) {
                        markdownFiles.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return markdownFiles.stream()
                .sorted(Comparator.comparing(file -> ROOT.relativize(file).toString()))
                .flatMap(file -> javaBlocks(file).stream())
                .toList();
    }

    /** The {@code ```java} blocks of one Markdown file (CommonMark fences: ``` or ~~~, indented at most 3 spaces). */
    static List<Snippet> javaBlocks(Path markdown) {
        List<String> lines;
        try {
            lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        String file = ROOT.relativize(markdown).toString().replace(File.separatorChar, '/');
        List<Snippet> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE_OPEN.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int indent = open.group(1).length();
            String fence = open.group(2);
            Pattern close = Pattern.compile("^ {0,3}" + Pattern.quote(fence.substring(0, 1)) + "{" + fence.length() + ",}\\s*$");
            StringBuilder code = new StringBuilder();
            int j = i + 1;
            while (j < lines.size() && !close.matcher(lines.get(j)).matches()) {
                code.append(stripIndent(lines.get(j), indent)).append('\n');
                j++;
            }
            if (open.group(3).equalsIgnoreCase("java")) {
                blocks.add(new Snippet(file, i + 1, code.toString()));
            }
            i = j;
        }
        return blocks;
    }

    private static String stripIndent(String line, int indent) {
        int strip = 0;
        while (strip < indent && strip < line.length() && line.charAt(strip) == ' ') {
            strip++;
        }
        return line.substring(strip);
    }

    /** The folder holding {@code mvnw}, found by walking up from this module's folder. */
    private static Path repositoryRoot() {
        Path folder = Path.of("").toAbsolutePath();
        while (folder != null && !Files.isRegularFile(folder.resolve("mvnw"))) {
            folder = folder.getParent();
        }
        if (folder == null) {
            throw new IllegalStateException("no folder with mvnw above " + Path.of("").toAbsolutePath());
        }
        return folder;
    }

    /** One file manager for all cases (it caches the jars' indexes), on the test classpath. */
    private static StandardJavaFileManager classPathFileManager() {
        if (COMPILER == null) {
            throw new IllegalStateException("no system Java compiler: run the tests on a JDK, not a JRE");
        }
        StandardJavaFileManager manager = COMPILER.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
        List<File> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(File::new)
                .toList();
        try {
            manager.setLocation(StandardLocation.CLASS_PATH, classPath);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return manager;
    }

    /** Keeps the class files javac writes in memory and drops them: the test only needs to know that they compile. */
    private static final class DiscardingOutput extends ForwardingJavaFileManager<JavaFileManager> {

        DiscardingOutput(JavaFileManager delegate) {
            super(delegate);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    return new ByteArrayOutputStream();
                }
            };
        }
    }
}
