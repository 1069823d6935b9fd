package io.jenkins.plugins.mesosagents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mesosagents.ClassReferenceClosure.Provider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * The closure check on a constructed plugin: {@code p/Root} calls {@code lib/A} (in another jar),
 * which calls {@code lib2/B} (in a third jar), {@code java/lang/String}, a class a provider has, an
 * allow-listed class, and an array of a fourth class. Removing a jar must be reported.
 */
class ClassReferenceClosureTest {
    @TempDir Path dir;

    @Test
    void aCompleteJarSetResolves() throws IOException {
        List<Path> jars = plugin();
        try (ClassReferenceClosure closure = closure(jars)) {
            assertThat(closure.unresolvedFrom(List.of("p/Root"))).isEmpty();
        }
    }

    @Test
    void aRemovedJarIsReportedWithTheClassThatNeedsIt() throws IOException {
        List<Path> jars = plugin();
        try (ClassReferenceClosure closure = closure(List.of(jars.get(0), jars.get(1)))) {
            assertThat(closure.unresolvedFrom(List.of("p/Root")))
                    .containsOnlyKeys("lib2/B", "lib2/Element")
                    .containsEntry("lib2/B", Set.of("lib/A (a.jar)"));
        }
    }

    @Test
    void withoutItsProviderAProvidedClassIsMissing() throws IOException {
        try (ClassReferenceClosure closure =
                new ClassReferenceClosure(plugin(), List.of(), Map.of("opt/", "optional"))) {
            assertThat(closure.unresolvedFrom(List.of("p/Root"))).containsOnlyKeys("core/Lib");
        }
    }

    @Test
    void withoutTheAllowListAnOptionalReferenceIsMissing() throws IOException {
        try (ClassReferenceClosure closure =
                new ClassReferenceClosure(
                        plugin(),
                        List.of(Provider.ofPackages("core", List.of("core/"))),
                        Map.of())) {
            assertThat(closure.unresolvedFrom(List.of("p/Root"))).containsOnlyKeys("opt/Platform");
        }
    }

    @Test
    void onlyWhatTheRootsReachIsFollowed() throws IOException {
        List<Path> jars = plugin();
        Path extra = jar("extra.jar", "lib/Unused", type("lib/Unused", "gone/Missing"));
        List<Path> all = List.of(jars.get(0), jars.get(1), jars.get(2), extra);
        try (ClassReferenceClosure closure = closure(all)) {
            assertThat(closure.unresolvedFrom(List.of("p/Root"))).isEmpty();
            assertThat(closure.unresolvedFrom(List.of("lib/Unused")))
                    .containsOnlyKeys("gone/Missing");
        }
    }

    @Test
    void aProviderJarResolvesExactlyItsClasses() throws IOException {
        Path coreJar = jar("core.jar", "core/Lib", type("core/Lib"));
        Provider provider = Provider.ofJar("core", coreJar);
        assertThat(provider.provides().test("core/Lib")).isTrue();
        assertThat(provider.provides().test("core/Other")).isFalse();
        Provider byPackage = Provider.ofPackages("core", List.of("core/", "x/One"));
        assertThat(byPackage.provides().test("core/Other")).isTrue();
        assertThat(byPackage.provides().test("x/One$Inner")).isTrue();
        assertThat(byPackage.provides().test("x/OneMore")).isFalse();
    }

    @Test
    void classesNamedOnlyByTheInnerClassesAttributeAreNotReferences() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "p/User", null, "java/lang/Object", null);
        // used in code: Outer$Inner is a reference, its outer class Outer is not (not loaded)
        writer.visitInnerClass("other/Outer$Inner", "other/Outer", "Inner", Opcodes.ACC_STATIC);
        // an annotation's nested enum, named only here (as javac does for enum annotation values)
        writer.visitInnerClass("x/Ann$Level", "x/Ann", "Level", Opcodes.ACC_STATIC);
        MethodVisitor method =
                writer.visitMethod(
                        Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run", "()V", null, null);
        method.visitCode();
        method.visitMethodInsn(Opcodes.INVOKESTATIC, "other/Outer$Inner", "run", "()V", false);
        method.visitInsn(Opcodes.RETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        writer.visitEnd();

        assertThat(ClassReferences.of(writer.toByteArray()))
                .contains("other/Outer$Inner", "java/lang/Object")
                .doesNotContain("other/Outer", "x/Ann", "x/Ann$Level", "p/User");
    }

    @Test
    void multiReleaseEntriesCountUpToJava21AndMetaInfIsNoClass() {
        assertThat(ClassReferenceClosure.className("a/B.class")).isEqualTo("a/B");
        assertThat(ClassReferenceClosure.className("META-INF/versions/17/a/B.class"))
                .isEqualTo("a/B");
        assertThat(ClassReferenceClosure.className("META-INF/versions/22/a/B.class")).isNull();
        assertThat(ClassReferenceClosure.className("META-INF/versions/9/module-info.class"))
                .isNull();
        assertThat(ClassReferenceClosure.className("a/package-info.class")).isNull();
        assertThat(ClassReferenceClosure.className("META-INF/MANIFEST.MF")).isNull();
    }

    @Test
    void anAllowListEntryNeedsAReason() {
        assertThat(
                        ClassReferenceClosure.readAllowList(
                                List.of("# comment", "", "opt/ guarded by Platform.isAvailable()")))
                .containsEntry("opt/", "guarded by Platform.isAvailable()");
        assertThatThrownBy(() -> ClassReferenceClosure.readAllowList(List.of("opt/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a reason");
    }

    private ClassReferenceClosure closure(List<Path> jars) throws IOException {
        return new ClassReferenceClosure(
                jars,
                List.of(Provider.ofPackages("core", List.of("core/"))),
                Map.of("opt/", "guarded at run time"));
    }

    /** root.jar (p/Root), a.jar (lib/A), b.jar (lib2/B, lib2/Element). */
    private List<Path> plugin() throws IOException {
        Path root = jar("root.jar", "p/Root", type("p/Root", "lib/A"));
        Path a =
                jar(
                        "a.jar",
                        "lib/A",
                        type("lib/A", "lib2/B", "java/lang/String", "core/Lib", "opt/Platform"),
                        "lib/A$Arrays",
                        arrayUser("lib/A$Arrays", "lib2/Element"));
        Path b = jar("b.jar", "lib2/B", type("lib2/B"), "lib2/Element", type("lib2/Element"));
        return List.of(root, a, b);
    }

    /**
     * A class whose static method calls a static method of each of {@code callees} ({@code lib/A}
     * also calls {@code lib/A$Arrays}).
     */
    private static byte[] type(String name, String... callees) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
        MethodVisitor method =
                writer.visitMethod(
                        Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run", "()V", null, null);
        method.visitCode();
        for (String callee : callees) {
            method.visitMethodInsn(Opcodes.INVOKESTATIC, callee, "run", "()V", false);
        }
        if (name.equals("lib/A")) {
            method.visitMethodInsn(Opcodes.INVOKESTATIC, "lib/A$Arrays", "run", "()V", false);
        }
        method.visitInsn(Opcodes.RETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** A class that creates an array of {@code element}: only an array descriptor names it. */
    private static byte[] arrayUser(String name, String element) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
        MethodVisitor method =
                writer.visitMethod(
                        Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run", "()V", null, null);
        method.visitCode();
        method.visitInsn(Opcodes.ICONST_1);
        method.visitMultiANewArrayInsn("[[L" + element + ";", 1);
        method.visitInsn(Opcodes.POP);
        method.visitInsn(Opcodes.RETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    private Path jar(String fileName, Object... nameAndBytes) throws IOException {
        Path jar = dir.resolve(fileName);
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream zip = new JarOutputStream(out)) {
            for (int i = 0; i < nameAndBytes.length; i += 2) {
                zip.putNextEntry(new ZipEntry(nameAndBytes[i] + ".class"));
                zip.write((byte[]) nameAndBytes[i + 1]);
                zip.closeEntry();
            }
        }
        return jar;
    }
}
