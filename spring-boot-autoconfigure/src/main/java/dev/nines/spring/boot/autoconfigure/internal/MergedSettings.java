package dev.nines.spring.boot.autoconfigure.internal;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;

/**
 * One instance's settings: the {@code defaults} overridden by the instance's own entries, property
 * by property (nested groups and maps too), with the path each value came from, so an error names
 * the line to fix. Not thread-safe; made and read by one startup or reload.
 *
 * @param <S> the settings class, a JavaBean whose {@code null} properties are unset
 */
public final class MergedSettings<S> {

    private final S settings;
    private final String instancePath;
    /** Relative kebab-case key ({@code open-duration-growth.max}) to the full property path set. */
    private final Map<String, String> origins = new LinkedHashMap<>();

    private MergedSettings(S settings, String instancePath) {
        this.settings = settings;
        this.instancePath = instancePath;
    }

    /**
     * Merges {@code own} over {@code defaults}.
     *
     * @param prefix the section, {@code nines.circuit-breaker}
     * @param name   the instance's name
     */
    public static <S> MergedSettings<S> of(Class<S> type, S defaults, S own, String prefix, String name) {
        String instancePath = prefix + ".instances." + (name.contains(".") ? "[" + name + "]" : name);
        MergedSettings<S> merged = new MergedSettings<>(BeanUtils.instantiateClass(type), instancePath);
        merged.merge(merged.settings, defaults, own, prefix + ".defaults", instancePath, "");
        return merged;
    }

    /** The merged settings. */
    public S settings() {
        return settings;
    }

    /** The instance's own path, {@code nines.circuit-breaker.instances.payments}. */
    public String instancePath() {
        return instancePath;
    }

    private void merge(Object into, Object defaults, Object own, String defaultsPath, String ownPath, String key) {
        BeanWrapper result = new BeanWrapperImpl(into);
        BeanWrapper d = defaults == null ? null : new BeanWrapperImpl(defaults);
        BeanWrapper o = own == null ? null : new BeanWrapperImpl(own);
        for (PropertyDescriptor p : result.getPropertyDescriptors()) {
            if (p.getReadMethod() == null || p.getWriteMethod() == null) {
                continue;
            }
            String property = p.getName();
            String kebab = kebab(property);
            Object dv = d == null ? null : d.getPropertyValue(property);
            Object ov = o == null ? null : o.getPropertyValue(property);
            Class<?> type = p.getPropertyType();
            if (isSettings(type)) {
                Object nested = BeanUtils.instantiateClass(type);
                merge(nested, dv, ov, defaultsPath + "." + kebab, ownPath + "." + kebab, key + kebab + ".");
                result.setPropertyValue(property, nested);
            } else if (Map.class.isAssignableFrom(type)) {
                Map<Object, Object> map = new LinkedHashMap<>();
                putAll(map, dv, defaultsPath + "." + kebab, key + kebab);
                putAll(map, ov, ownPath + "." + kebab, key + kebab);
                result.setPropertyValue(property, map);
            } else if (ov != null || dv != null) {
                result.setPropertyValue(property, ov != null ? ov : dv);
                origins.put(key + kebab, (ov != null ? ownPath : defaultsPath) + "." + kebab);
            }
        }
    }

    private void putAll(Map<Object, Object> into, Object map, String path, String key) {
        if (map instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                into.put(e.getKey(), e.getValue());
                origins.put(key + "." + e.getKey(), path + "." + e.getKey());
            }
        }
    }

    private static boolean isSettings(Class<?> type) {
        return type.getName().startsWith("dev.nines.spring.boot.autoconfigure.") && !type.isEnum();
    }

    /**
     * The problems of a builder's message ({@code field must be X but was Y; ...}), each with the
     * property path in place of the builder's field name: {@code failureRateThreshold must be a
     * fraction in (0, 1] but was 1.5} becomes {@code nines.circuit-breaker.instances.payments.
     * failure-rate-threshold: must be a fraction in (0, 1] but was 1.5}.
     */
    public List<String> problems(IllegalArgumentException e) {
        List<String> problems = new ArrayList<>();
        String message = String.valueOf(e.getMessage());
        for (String part : message.split("; ")) {
            int must = part.indexOf(" must ");
            if (must <= 0) {
                problems.add(instancePath + ": " + part);
                continue;
            }
            String field = part.substring(0, must);
            problems.add(path(field) + ": " + part.substring(must + 1));
        }
        return problems;
    }

    /** The path of a builder field ({@code openDurationGrowth max}), or the instance's with the field. */
    private String path(String field) {
        StringBuilder key = new StringBuilder();
        for (String word : field.split(" ")) {
            key.append(key.length() == 0 ? "" : ".").append(kebab(word));
        }
        String k = key.toString();
        if (origins.containsKey(k)) {
            return origins.get(k);
        }
        for (Map.Entry<String, String> e : origins.entrySet()) {
            if (e.getKey().endsWith("." + k)) {
                return e.getValue(); // a nested group's field: gradient.min-limit
            }
        }
        for (Map.Entry<String, String> e : origins.entrySet()) {
            if (e.getKey().startsWith(k + ".")) {
                String value = e.getValue();
                return value.substring(0, value.length() - (e.getKey().length() - k.length()));
            }
        }
        return field.contains(" ") ? instancePath + " (" + field + ")" : instancePath + "." + k;
    }

    /** {@code failureRateThreshold} as {@code failure-rate-threshold}. */
    static String kebab(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
