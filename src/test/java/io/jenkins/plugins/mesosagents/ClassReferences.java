package io.jenkins.plugins.mesosagents;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the classes one class file refers to, for {@link ClassReferenceClosure}: the constant
 * pool's class references, as the JVM resolves them when it links the class (internal names).
 */
final class ClassReferences {
    private ClassReferences() {}

    /**
     * The classes a class file links against: its {@code CONSTANT_Class} entries and the types in
     * the descriptors of the members it refers to ({@code NameAndType}) and of its {@code
     * MethodType} constants, array types reduced to their element type; without the classes that
     * only its {@code InnerClasses} and {@code EnclosingMethod} attributes name (reflection reads
     * those, the JVM never resolves them: an {@code Outer$Inner} reference does not load {@code
     * Outer}, and an annotation's nested enum is only named there).
     */
    static Set<String> of(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        char[] buffer = new char[reader.getMaxStringLength()];
        Set<String> refs = new TreeSet<>();
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i);
            if (offset == 0) {
                continue; // the unused slot after a long or double
            }
            switch (reader.readByte(offset - 1)) {
                case 7 -> addType(Type.getObjectType(reader.readUTF8(offset, buffer)), refs);
                case 12 -> addDescriptor(reader.readUTF8(offset + 2, buffer), refs);
                case 16 -> addDescriptor(reader.readUTF8(offset, buffer), refs);
                default -> {}
            }
        }
        UsageCollector usage = new UsageCollector();
        reader.accept(usage, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        for (String onlyNamed : usage.namedByNestingAttributes) {
            if (!usage.used.contains(onlyNamed)) {
                refs.remove(onlyNamed);
            }
        }
        refs.remove(reader.getClassName());
        return refs;
    }

    /**
     * The classes a class uses outside its nesting attributes: supertypes, declared member types
     * and exceptions, nest and record attributes, and everything its code touches.
     */
    private static final class UsageCollector extends ClassVisitor {
        final Set<String> used = new HashSet<>();
        final Set<String> namedByNestingAttributes = new HashSet<>();

        UsageCollector() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(
                int version,
                int access,
                String name,
                String signature,
                String superName,
                String[] interfaces) {
            addName(superName);
            if (interfaces != null) {
                for (String i : interfaces) {
                    addName(i);
                }
            }
        }

        @Override
        public void visitInnerClass(String name, String outerName, String innerName, int access) {
            namedByNestingAttributes.add(name);
            if (outerName != null) {
                namedByNestingAttributes.add(outerName);
            }
        }

        @Override
        public void visitOuterClass(String owner, String name, String descriptor) {
            namedByNestingAttributes.add(owner);
        }

        @Override
        public void visitNestHost(String nestHost) {
            addName(nestHost);
        }

        @Override
        public void visitNestMember(String nestMember) {
            addName(nestMember);
        }

        @Override
        public void visitPermittedSubclass(String permittedSubclass) {
            addName(permittedSubclass);
        }

        @Override
        public FieldVisitor visitField(
                int access, String name, String descriptor, String signature, Object value) {
            addDescriptor(descriptor, used);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] exceptions) {
            addDescriptor(descriptor, used);
            if (exceptions != null) {
                for (String e : exceptions) {
                    addName(e);
                }
            }
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitTypeInsn(int opcode, String type) {
                    addName(type);
                }

                @Override
                public void visitFieldInsn(
                        int opcode, String owner, String name, String descriptor) {
                    addName(owner);
                    addDescriptor(descriptor, used);
                }

                @Override
                public void visitMethodInsn(
                        int opcode,
                        String owner,
                        String name,
                        String descriptor,
                        boolean isInterface) {
                    addName(owner);
                    addDescriptor(descriptor, used);
                }

                @Override
                public void visitInvokeDynamicInsn(
                        String name, String descriptor, Handle bootstrap, Object... arguments) {
                    addDescriptor(descriptor, used);
                    addHandle(bootstrap);
                    for (Object argument : arguments) {
                        addConstant(argument);
                    }
                }

                @Override
                public void visitLdcInsn(Object value) {
                    addConstant(value);
                }

                @Override
                public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
                    addDescriptor(descriptor, used);
                }

                @Override
                public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                    if (type != null) {
                        addName(type);
                    }
                }
            };
        }

        private void addName(String internalName) {
            if (internalName != null) {
                addType(Type.getObjectType(internalName), used);
            }
        }

        private void addHandle(Handle handle) {
            addName(handle.getOwner());
            addDescriptor(handle.getDesc(), used);
        }

        private void addConstant(Object value) {
            if (value instanceof Type type) {
                if (type.getSort() == Type.METHOD) {
                    addDescriptor(type.getDescriptor(), used);
                } else {
                    addType(type, used);
                }
            } else if (value instanceof Handle handle) {
                addHandle(handle);
            } else if (value instanceof ConstantDynamic constant) {
                addDescriptor(constant.getDescriptor(), used);
                addHandle(constant.getBootstrapMethod());
                for (int i = 0; i < constant.getBootstrapMethodArgumentCount(); i++) {
                    addConstant(constant.getBootstrapMethodArgument(i));
                }
            }
        }
    }

    private static void addDescriptor(String descriptor, Set<String> refs) {
        Type type = Type.getType(descriptor);
        if (type.getSort() == Type.METHOD) {
            for (Type argument : type.getArgumentTypes()) {
                addType(argument, refs);
            }
            addType(type.getReturnType(), refs);
        } else {
            addType(type, refs);
        }
    }

    private static void addType(Type type, Set<String> refs) {
        Type element = type.getSort() == Type.ARRAY ? type.getElementType() : type;
        if (element.getSort() == Type.OBJECT) {
            refs.add(element.getInternalName());
        }
    }
}
