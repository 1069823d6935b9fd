package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every form of the plugin (each {@code config.jelly} and {@code configure-entries.jelly}) is
 * consistent with its help and its class: each {@code field="x"} has {@code help-x.html} next to
 * it, each help file names a field of that form, a {@code getHelpFile('x')} of it or a bindable
 * property the form leaves to Pipeline (e.g. a step's map argument, documented in the generated
 * step reference), and each field is a property Stapler can bind and Jelly can read: a public
 * getter, a {@code @DataBoundSetter} or a {@code @DataBoundConstructor} parameter of the
 * describable.
 */
class FormHelpConsistencyTest {
    private static final Path RESOURCES = Path.of("src/main/resources");
    private static final Pattern FIELD = Pattern.compile("\\bfield=\"([^\"]+)\"");
    private static final Pattern HELP_FILE = Pattern.compile("getHelpFile\\('([^']+)'\\)");

    private static List<Path> forms() throws IOException {
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            return files.filter(
                            p ->
                                    p.getFileName().toString().equals("config.jelly")
                                            || p.getFileName()
                                                    .toString()
                                                    .equals("configure-entries.jelly"))
                    .sorted()
                    .toList();
        }
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static Class<?> describable(Path form) throws ClassNotFoundException {
        String name = RESOURCES.relativize(form.getParent()).toString().replace('/', '.');
        return Class.forName(name);
    }

    private static boolean isProperty(Class<?> type, String field) {
        String cap = Character.toUpperCase(field.charAt(0)) + field.substring(1);
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() == 0
                    && (m.getName().equals("get" + cap) || m.getName().equals("is" + cap))) {
                return true;
            }
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(DataBoundSetter.class)
                        && m.getName().equals("set" + cap)) {
                    return true;
                }
            }
        }
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : c.getParameters()) {
                    if (p.getName().equals(field)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void everyFormFieldHasHelpAndIsAPropertyAndEveryHelpFileNamesAField() throws Exception {
        List<Path> forms = forms();
        assertThat(forms).hasSizeGreaterThanOrEqualTo(8);
        List<String> problems = new ArrayList<>();
        for (Path form : forms) {
            String jelly = Files.readString(form);
            Set<String> fields = matches(FIELD, jelly);
            Class<?> type = describable(form);
            for (String field : fields) {
                if (!Files.exists(form.resolveSibling("help-" + field + ".html"))) {
                    problems.add(form + ": field " + field + " has no help-" + field + ".html");
                }
                if (!isProperty(type, field)) {
                    problems.add(
                            form
                                    + ": field "
                                    + field
                                    + " is not a getter, @DataBoundSetter or"
                                    + " @DataBoundConstructor parameter of "
                                    + type.getName());
                }
            }
            Set<String> named = new TreeSet<>(fields);
            named.addAll(matches(HELP_FILE, jelly));
            try (Stream<Path> siblings = Files.list(form.getParent())) {
                siblings.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith("help-") && n.endsWith(".html"))
                        .map(n -> n.substring("help-".length(), n.length() - ".html".length()))
                        .filter(n -> !named.contains(n) && !isProperty(type, n))
                        .forEach(
                                n ->
                                        problems.add(
                                                form.getParent()
                                                        + ": help-"
                                                        + n
                                                        + ".html names no field of "
                                                        + form.getFileName()
                                                        + " nor a property of "
                                                        + type.getName()));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theCheckNoticesAFieldWithoutHelp() {
        assertThat(matches(FIELD, "<f:entry field=\"cpus\"><f:textbox/></f:entry>"))
                .containsExactly("cpus");
        assertThat(isProperty(MesosAgentTemplate.class, "cpus")).isTrue();
        assertThat(isProperty(MesosAgentTemplate.class, "noSuchField")).isFalse();
    }
}
