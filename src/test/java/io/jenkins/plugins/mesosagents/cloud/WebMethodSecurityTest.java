package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.RETURNS_SELF;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockConstruction;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;

import com.cloudbees.plugins.credentials.common.StandardListBoxModel;

import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;

import jenkins.model.Jenkins;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.MockedConstruction;
import org.mockito.MockedStatic;
import org.mockito.invocation.Invocation;
import org.springframework.security.access.AccessDeniedException;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every Stapler web method ({@code public do*}) of the plugin's Jenkins layer (cloud/ and steps/),
 * found by reflection over the compiled classes, is either on the read-only allow-list below with
 * its reason, or is POST-only ({@code @POST} / {@code @RequirePOST}) and refuses a user without
 * permission: {@code checkPermission} throws before any work, or a credentials list shows nothing
 * but the current value. A new web method fails this test until it is classified.
 */
class WebMethodSecurityTest {
    private static final String PACKAGE = "io.jenkins.plugins.mesosagents";

    /**
     * Web methods allowed on GET, because they change nothing, reach no network and reveal nothing
     * beyond fixed option lists.
     */
    private static final Map<String, String> READ_ONLY =
            Map.of(
                    "cloud.MesosCloud#doStats",
                    "the cloud page's figures as JSON; checks SYSTEM_READ like core's cloud page"
                        + " (CloudStatsTest.doStatsChecksThePagePermissionThenWritesTheSnapshot)",
                    "cloud.ContainerSettings$DescriptorImpl#doFillTypeItems",
                    "a fixed option list (containerizer types)",
                    "cloud.ContainerSettings$DescriptorImpl#doFillNetworkItems",
                    "a fixed option list (network modes)",
                    "cloud.MesosAgentTemplateDescriptor#doFillFaultDomainItems",
                    "a fixed option list (fault-domain placements)",
                    "cloud.MesosCloudDescriptor#doFillEncodingItems",
                    "a fixed option list (protobuf/JSON); POST as well, but needs no permission",
                    "cloud.MesosCloudDescriptor#doFillJenkinsfileTemplatesItems",
                    "a fixed option list (Jenkinsfile template policy); POST as well, but needs no"
                        + " permission",
                    "steps.ImageStepDescriptor#doFillBuilderItems",
                    "a fixed option list (auto/buildah/docker)");

    private static final List<String> POST_ANNOTATIONS =
            List.of("org.kohsuke.stapler.verb.POST", "org.kohsuke.stapler.interceptor.RequirePOST");

    private final Jenkins jenkins = mock(Jenkins.class);
    private MockedStatic<Jenkins> jenkinsStatic;
    private MockedStatic<FormValidation> validations;

    @BeforeEach
    void aJenkinsThatRefusesEverything() {
        jenkinsStatic = mockStatic(Jenkins.class);
        jenkinsStatic.when(Jenkins::get).thenReturn(jenkins);
        doThrow(new AccessDeniedException("refused by the test"))
                .when(jenkins)
                .checkPermission(any());
        when(jenkins.hasPermission(any())).thenReturn(false);
        validations = mockStatic(FormValidation.class);
    }

    @AfterEach
    void close() {
        jenkinsStatic.close();
        validations.close();
    }

    @Test
    void theScanFindsTheWebMethodsItMustJudge() throws Exception {
        List<String> names = webMethods().stream().map(WebMethodSecurityTest::key).toList();
        // a sanity floor: if the scan found nothing, every other assertion would be vacuous
        assertThat(names)
                .contains(
                        "cloud.MesosCloudDescriptor#doTestConnection",
                        "cloud.MesosCloudDescriptor#doDiagnoseTemplates",
                        "cloud.MesosCloud#doStats",
                        "steps.CredentialsStepDescriptor#doFillCredentialsIdItems",
                        "steps.PromoteImageStep$DescriptorImpl#doFillTargetCredentialsIdItems");
        assertThat(names).hasSizeGreaterThan(40);
        assertThat(READ_ONLY.keySet())
                .as("allow-list entries that no longer exist")
                .allMatch(names::contains);
    }

    @Test
    void everyWebMethodIsPostOnlyOrAnAllowedReadOnlyGet() throws Exception {
        List<String> notPost = new ArrayList<>();
        for (Method m : webMethods()) {
            if (!READ_ONLY.containsKey(key(m)) && !isPostOnly(m)) {
                notPost.add(key(m));
            }
        }
        assertThat(notPost)
                .as("web methods that answer GET but are not on the read-only allow-list")
                .isEmpty();
    }

    @Test
    void everyPostMethodRefusesAUserWithoutPermission() throws Exception {
        Map<String, String> leaks = new TreeMap<>();
        int judged = 0;
        for (Method m : webMethods()) {
            if (READ_ONLY.containsKey(key(m))) {
                continue;
            }
            judged++;
            String outcome = callAsUnprivileged(m);
            if (outcome != null) {
                leaks.put(key(m), outcome);
            }
        }
        assertThat(judged).isGreaterThan(30);
        assertThat(leaks).as("POST methods a user without permission could use").isEmpty();
    }

    /**
     * Calls {@code m} with a Jenkins and an item that refuse every permission. Null if it was
     * refused (AccessDeniedException from checkPermission, or a credentials list holding only the
     * current value); otherwise what happened instead.
     */
    private String callAsUnprivileged(Method m) throws Exception {
        Object target = mock(m.getDeclaringClass(), CALLS_REAL_METHODS);
        Object[] args = Arrays.stream(m.getParameterTypes()).map(this::argument).toArray();
        m.setAccessible(true);
        try (MockedConstruction<StandardListBoxModel> lists =
                        mockConstruction(
                                StandardListBoxModel.class,
                                org.mockito.Mockito.withSettings().defaultAnswer(RETURNS_SELF));
                MockedConstruction<ListBoxModel> plain = mockConstruction(ListBoxModel.class)) {
            try {
                m.invoke(target, args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof AccessDeniedException) {
                    return null;
                }
                return "threw " + e.getCause();
            }
            if (m.getReturnType() == ListBoxModel.class && !lists.constructed().isEmpty()) {
                for (StandardListBoxModel model : lists.constructed()) {
                    for (Invocation call : mockingDetails(model).getInvocations()) {
                        String name = call.getMethod().getName();
                        if (!name.equals("includeCurrentValue")) {
                            return "listed credentials (" + name + ") without permission";
                        }
                    }
                }
                return null;
            }
            return "ran without a permission check";
        }
    }

    private Object argument(Class<?> type) {
        if (type == String.class) {
            return "";
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == Item.class) {
            Item item = mock(Item.class);
            when(item.hasPermission(any())).thenReturn(false);
            doThrow(new AccessDeniedException("refused by the test"))
                    .when(item)
                    .checkPermission(any());
            return item;
        }
        return mock(type);
    }

    private static boolean isPostOnly(Method m) {
        return Arrays.stream(m.getAnnotations())
                .anyMatch(a -> POST_ANNOTATIONS.contains(a.annotationType().getName()));
    }

    private static String key(Method m) {
        return m.getDeclaringClass().getName().substring(PACKAGE.length() + 1) + "#" + m.getName();
    }

    /** Public {@code do[A-Z]*} methods declared by our classes in cloud/ and steps/. */
    static List<Method> webMethods() throws IOException, URISyntaxException {
        Path classes =
                Path.of(
                        MesosCloud.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        List<Method> found = new ArrayList<>();
        for (String pkg : List.of("cloud", "steps")) {
            Path dir = classes.resolve(PACKAGE.replace('.', '/')).resolve(pkg);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = file.getFileName().toString();
                    Class<?> type;
                    try {
                        type =
                                Class.forName(
                                        PACKAGE
                                                + "."
                                                + pkg
                                                + "."
                                                + name.substring(0, name.length() - 6),
                                        false,
                                        WebMethodSecurityTest.class.getClassLoader());
                    } catch (ClassNotFoundException e) {
                        throw new IllegalStateException(e);
                    }
                    for (Method m : type.getDeclaredMethods()) {
                        if (Modifier.isPublic(m.getModifiers())
                                && !m.isSynthetic()
                                && m.getName().matches("do[A-Z].*")) {
                            found.add(m);
                        }
                    }
                }
            }
        }
        assertThat(found).allMatch(m -> m.getDeclaringClass().getName().startsWith(PACKAGE));
        return found;
    }
}
