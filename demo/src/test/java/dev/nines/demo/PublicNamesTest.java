package dev.nines.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.annotation.PolicyAnnotation;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API's names, read from what the nines modules export (their {@code module-info}),
 * not from a list kept by hand: a user can import any two exported types side by side, and every
 * policy annotation reads as one ({@code @WithRetry} beside the {@code Retry} it configures).
 * The demo's tests see every shipped named module, so the check lives here.
 */
class PublicNamesTest {

    private static final Set<String> SHIPPED =
            Set.of("dev.nines.core", "dev.nines.ratelimit", "dev.nines.shedding", "dev.nines.web",
                    "dev.nines.simulator", "dev.nines.redis", "dev.nines.micrometer", "dev.nines.slo");

    @Test
    void noTwoExportedTypesShareASimpleName() throws Exception {
        Map<String, List<String>> bySimpleName = new TreeMap<>();
        for (Class<?> type : exportedTypes()) {
            bySimpleName.computeIfAbsent(type.getSimpleName(), k -> new ArrayList<>()).add(type.getName());
        }
        bySimpleName.values().removeIf(names -> names.size() < 2);
        assertEquals(Map.of(), bySimpleName, "exported types sharing a simple name");
    }

    @Test
    void everyExportedPolicyAnnotationIsNamedWithThePolicyItApplies() throws Exception {
        Set<String> misnamed = new TreeSet<>();
        int policyAnnotations = 0;
        for (Class<?> type : exportedTypes()) {
            if (type.isAnnotation() && type.isAnnotationPresent(PolicyAnnotation.class)) {
                policyAnnotations++;
                if (!type.getSimpleName().startsWith("With")) {
                    misnamed.add(type.getName());
                }
            }
        }
        assertEquals(Set.of(), misnamed, "policy annotations not named With...");
        assertTrue(policyAnnotations >= 7,
                "breaker, fallback, retry, timeout, bulkhead, rate limit and priority at least, but found " + policyAnnotations);
    }

    /** The public top-level types of every package the shipped modules export to everyone. */
    private static List<Class<?>> exportedTypes() throws Exception {
        ClassLoader loader = PublicNamesTest.class.getClassLoader();
        Set<String> modules = new TreeSet<>();
        List<Class<?>> types = new ArrayList<>();
        for (URL descriptor : Collections.list(loader.getResources("module-info.class"))) {
            ModuleDescriptor module;
            try (InputStream in = descriptor.openStream()) {
                module = ModuleDescriptor.read(in);
            }
            if (!SHIPPED.contains(module.name())) {
                continue;
            }
            modules.add(module.name());
            Set<String> exported = new TreeSet<>();
            module.exports().stream().filter(e -> !e.isQualified()).forEach(e -> exported.add(e.source()));
            for (String className : classNames(descriptor)) {
                int dot = className.lastIndexOf('.');
                if (dot > 0 && exported.contains(className.substring(0, dot)) && !className.contains("$")
                        && !className.endsWith(".package-info")) {
                    Class<?> type = Class.forName(className, false, loader);
                    if (Modifier.isPublic(type.getModifiers())) {
                        types.add(type);
                    }
                }
            }
        }
        assertEquals(SHIPPED, modules, "the shipped modules on the test class path");
        return types;
    }

    /** Every class name under the root that holds this {@code module-info.class}, a directory or a jar. */
    private static List<String> classNames(URL descriptor) throws IOException, URISyntaxException {
        List<String> names = new ArrayList<>();
        if ("jar".equals(descriptor.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) descriptor.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class"))
                        .forEach(n -> names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.')));
            }
        } else {
            Path root = Path.of(descriptor.toURI()).getParent();
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                    String relative = root.relativize(p).toString();
                    names.add(relative.substring(0, relative.length() - ".class".length())
                            .replace(p.getFileSystem().getSeparator(), "."));
                });
            }
        }
        return names;
    }
}
