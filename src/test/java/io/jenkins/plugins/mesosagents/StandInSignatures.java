package io.jenkins.plugins.mesosagents;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeParameterTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The member signatures of the types in a Java source file, as text a stand-in and the real source
 * can be compared by: parsed with the JDK's own parser (no class path needed, nothing is resolved
 * against libraries), names resolved through the file's imports and package, parameter names,
 * annotations, bodies and private members dropped, interface members given their implicit
 * modifiers. Two files that declare a member with the same erasure and generic signature give the
 * same line for it. {@link #main} writes the reference list from real sources ({@code git show} of
 * a repository snapshot), which {@code StandInSignatureTest} checks the stand-in against.
 */
final class StandInSignatures {
    private static final Set<String> JAVA_LANG =
            Set.of(
                    "Object",
                    "String",
                    "Class",
                    "Exception",
                    "RuntimeException",
                    "Throwable",
                    "Error",
                    "Runnable",
                    "Iterable",
                    "Comparable",
                    "Integer",
                    "Long",
                    "Double",
                    "Boolean",
                    "Void",
                    "Number",
                    "Enum",
                    "Deprecated",
                    "Override",
                    "CharSequence",
                    "InterruptedException",
                    "AutoCloseable",
                    "Character",
                    "Float",
                    "Short",
                    "Byte");

    private StandInSignatures() {}

    /** Type name (binary, with $ for nested) → its member lines. */
    static Map<String, Set<String>> of(String source) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file =
                new SimpleJavaFileObject(
                        URI.create("string:///Source.java"), JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return source;
                    }
                };
        JavacTask task =
                (JavacTask)
                        javac.getTask(
                                null, null, d -> {}, List.of("-proc:none"), null, List.of(file));
        Map<String, Set<String>> out = new TreeMap<>();
        for (CompilationUnitTree unit : task.parse()) {
            String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
            Map<String, String> imports = new HashMap<>();
            for (ImportTree i : unit.getImports()) {
                String q = i.getQualifiedIdentifier().toString();
                if (!i.isStatic() && !q.endsWith(".*")) {
                    imports.put(q.substring(q.lastIndexOf('.') + 1), q);
                }
            }
            for (Tree t : unit.getTypeDecls()) {
                if (t instanceof ClassTree c) {
                    collect(c, pkg + "." + c.getSimpleName(), pkg, imports, Set.of(), out);
                }
            }
        }
        return out;
    }

    private static void collect(
            ClassTree c,
            String name,
            String pkg,
            Map<String, String> imports,
            Set<String> outerTypeVars,
            Map<String, Set<String>> out) {
        boolean iface =
                c.getKind() == Tree.Kind.INTERFACE || c.getKind() == Tree.Kind.ANNOTATION_TYPE;
        Set<String> typeVars = new HashSet<>(outerTypeVars);
        for (TypeParameterTree p : c.getTypeParameters()) {
            typeVars.add(p.getName().toString());
        }
        Set<String> members = new TreeSet<>();
        Names names = new Names(pkg, imports, typeVars);
        members.add(
                ("type " + c.getKind() + " " + names.typeParams(c.getTypeParameters())).strip());
        for (Tree m : c.getMembers()) {
            if (m instanceof MethodTree mt) {
                Set<Modifier> mods = modifiers(mt.getModifiers(), iface, mt.getBody() == null);
                if (mods.contains(Modifier.PRIVATE)
                        || (!iface
                                && !mods.contains(Modifier.PUBLIC)
                                && !mods.contains(Modifier.PROTECTED))) {
                    continue;
                }
                Names local = names.with(mt.getTypeParameters());
                List<String> params = new ArrayList<>();
                for (VariableTree p : mt.getParameters()) {
                    params.add(local.type(p.getType()));
                }
                List<String> thrown = new ArrayList<>();
                for (Tree x : mt.getThrows()) {
                    thrown.add(local.type(x));
                }
                boolean ctor = mt.getName().contentEquals("<init>");
                members.add(
                        mods(mods)
                                + local.typeParams(mt.getTypeParameters())
                                + (ctor ? "" : local.type(mt.getReturnType()) + " ")
                                + (ctor ? "<init>" : mt.getName())
                                + "("
                                + String.join(", ", params)
                                + ")"
                                + (thrown.isEmpty() ? "" : " throws " + String.join(", ", thrown))
                                + (mt.getDefaultValue() != null ? " default" : ""));
            } else if (m instanceof VariableTree v) {
                Set<Modifier> mods = modifiers(v.getModifiers(), iface, false);
                if (iface) {
                    mods.add(Modifier.STATIC);
                    mods.add(Modifier.FINAL);
                }
                if (mods.contains(Modifier.PUBLIC) || mods.contains(Modifier.PROTECTED)) {
                    members.add(mods(mods) + names.type(v.getType()) + " " + v.getName());
                }
            } else if (m instanceof ClassTree nested) {
                Set<Modifier> mods = modifiers(nested.getModifiers(), iface, false);
                if (mods.contains(Modifier.PUBLIC) || mods.contains(Modifier.PROTECTED)) {
                    collect(
                            nested,
                            name + "$" + nested.getSimpleName(),
                            pkg,
                            imports,
                            nested.getModifiers().getFlags().contains(Modifier.STATIC)
                                    ? Set.of()
                                    : typeVars,
                            out);
                }
            }
        }
        if (c.getKind() == Tree.Kind.CLASS
                && members.stream().noneMatch(m -> m.contains("<init>("))
                && !hasConstructor(c)) {
            // JLS 8.8.9: a class without constructors gets a no-arg one with the class's access
            Set<Modifier> access = new TreeSet<>(c.getModifiers().getFlags());
            access.retainAll(Set.of(Modifier.PUBLIC, Modifier.PROTECTED));
            if (!access.isEmpty()) {
                members.add(mods(access) + "<init>()");
            }
        }
        out.put(name, members);
    }

    private static boolean hasConstructor(ClassTree c) {
        for (Tree m : c.getMembers()) {
            if (m instanceof MethodTree mt && mt.getName().contentEquals("<init>")) {
                return true;
            }
        }
        return false;
    }

    private static Set<Modifier> modifiers(ModifiersTree tree, boolean iface, boolean noBody) {
        Set<Modifier> mods = new TreeSet<>(tree.getFlags());
        mods.remove(Modifier.FINAL);
        mods.remove(Modifier.SYNCHRONIZED);
        mods.remove(Modifier.NATIVE);
        mods.remove(Modifier.STRICTFP);
        mods.remove(Modifier.TRANSIENT);
        mods.remove(Modifier.VOLATILE);
        if (iface && !mods.contains(Modifier.PRIVATE)) {
            mods.add(Modifier.PUBLIC);
            if (noBody && !mods.contains(Modifier.STATIC)) {
                mods.add(Modifier.ABSTRACT);
            }
        }
        return mods;
    }

    private static String mods(Set<Modifier> mods) {
        StringBuilder s = new StringBuilder();
        for (Modifier m : mods) {
            s.append(m).append(' ');
        }
        return s.toString();
    }

    /** Resolves the simple names of one file the way javac would for our purposes. */
    private record Names(String pkg, Map<String, String> imports, Set<String> typeVars) {
        Names with(List<? extends TypeParameterTree> more) {
            Set<String> vars = new HashSet<>(typeVars);
            for (TypeParameterTree p : more) {
                vars.add(p.getName().toString());
            }
            return new Names(pkg, imports, vars);
        }

        String typeParams(List<? extends TypeParameterTree> params) {
            if (params.isEmpty()) {
                return "";
            }
            List<String> out = new ArrayList<>();
            for (TypeParameterTree p : params) {
                List<String> bounds = new ArrayList<>();
                for (Tree b : p.getBounds()) {
                    bounds.add(type(b));
                }
                out.add(
                        p.getName()
                                + (bounds.isEmpty()
                                        ? ""
                                        : " extends " + String.join(" & ", bounds)));
            }
            return "<" + String.join(", ", out) + "> ";
        }

        private static final Pattern NAME =
                Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

        /** A type as written, every name made fully qualified, annotations dropped. */
        String type(Tree t) {
            String written = t.toString().replaceAll("@[A-Za-z0-9_.]+(\\([^)]*\\))?\\s*", "");
            Matcher m = NAME.matcher(written);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(qualify(m.group())));
            }
            m.appendTail(out);
            return out.toString().replace(" ", "");
        }

        private String qualify(String name) {
            if (Set.of(
                            "extends", "super", "void", "boolean", "int", "long", "double", "float",
                            "char", "byte", "short")
                    .contains(name)) {
                return name;
            }
            String first = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            String rest = name.substring(first.length());
            if (typeVars.contains(first) && rest.isEmpty()) {
                return name;
            }
            if (imports.containsKey(first)) {
                return imports.get(first) + rest;
            }
            if (Character.isLowerCase(first.charAt(0))) {
                return name; // already qualified
            }
            if (JAVA_LANG.contains(first)) {
                return "java.lang." + name;
            }
            return pkg + "." + name;
        }
    }

    /**
     * Writes the reference list. Arguments: the output file, then entries {@code type=repoDir@ref:
     * path[+path…]} — the type's members are the union of that type's members in the listed files
     * (a stand-in may flatten a supertype into the type: list the supertype's file too, its own
     * type's members are then merged in).
     */
    public static void main(String[] args) throws Exception {
        StringBuilder out = new StringBuilder();
        out.append("# Member signatures of the real Jenkins API types the stand-in declares,\n");
        out.append(
                "# written by StandInSignatures.main from the real sources; do not edit by"
                        + " hand.\n");
        out.append("# Each '# TYPE <- REPO@REF:PATH' line below is one argument");
        out.append(
                " TYPE=CLONE_OF_REPO@REF:PATH[+PATH…]\n# (a second path: a supertype the stand-in");
        out.append(" flattens into the type).\n");
        for (int i = 1; i < args.length; i++) {
            String type = args[i].substring(0, args[i].indexOf('='));
            String spec = args[i].substring(type.length() + 1);
            String repo = spec.substring(0, spec.indexOf('@'));
            String refAndPaths = spec.substring(repo.length() + 1);
            String ref = refAndPaths.substring(0, refAndPaths.indexOf(':'));
            Set<String> members = new TreeSet<>();
            boolean first = true;
            for (String path : refAndPaths.substring(ref.length() + 1).split("\\+")) {
                String source = gitShow(repo, ref + ":" + path);
                Map<String, Set<String>> types = of(source);
                String wanted =
                        first
                                ? type
                                : types.keySet().stream()
                                        .filter(k -> !k.contains("$"))
                                        .findFirst()
                                        .orElseThrow();
                Set<String> found = types.get(wanted);
                if (found == null) {
                    throw new IllegalArgumentException(
                            type + " not in " + path + ": " + types.keySet());
                }
                for (String m : found) {
                    if (!first && m.startsWith("type ")) {
                        continue;
                    }
                    members.add(m);
                }
                out.append("# ")
                        .append(type)
                        .append(" <- ")
                        .append(repoName(repo))
                        .append('@')
                        .append(ref)
                        .append(':')
                        .append(path)
                        .append('\n');
                first = false;
            }
            out.append("type ").append(type).append('\n');
            for (String m : members) {
                out.append("  ").append(m).append('\n');
            }
        }
        Files.writeString(Path.of(args[0]), out.toString(), StandardCharsets.UTF_8);
    }

    /** {@code /work/.mirror/jenkinsci+jenkins/repo} → {@code jenkinsci/jenkins}. */
    private static String repoName(String repoDir) {
        Path p = Path.of(repoDir);
        String name = p.getFileName().toString();
        if (name.equals("repo") && p.getParent() != null) {
            name = p.getParent().getFileName().toString();
        }
        return name.replace('+', '/');
    }

    private static String gitShow(String repo, String object)
            throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder("git", "-C", repo, "show", object)
                        .redirectErrorStream(false)
                        .start();
        byte[] bytes = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException("git show " + object + " failed in " + repo);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
