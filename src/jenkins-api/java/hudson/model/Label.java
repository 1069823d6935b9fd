package hudson.model;

import hudson.model.labels.LabelAtom;
import java.util.Collection;
import java.util.Set;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Label.java (signatures only). */
public abstract class Label extends Actionable implements Comparable<Label> {
    public final transient hudson.slaves.NodeProvisioner nodeProvisioner;

    protected Label(String name) { throw new UnsupportedOperationException(); }

    public final String getName() { throw new UnsupportedOperationException(); }

    public String getDisplayName() { throw new UnsupportedOperationException(); }

    public abstract String getExpression();

    public final boolean matches(Collection<LabelAtom> labels) { throw new UnsupportedOperationException(); }

    public final boolean matches(Node n) { throw new UnsupportedOperationException(); }

    public Set<Node> getNodes() { throw new UnsupportedOperationException(); }

    public Set<LabelAtom> listAtoms() { throw new UnsupportedOperationException(); }

    @Override
    public final int compareTo(Label that) { throw new UnsupportedOperationException(); }

    public static Set<LabelAtom> parse(String labels) { throw new UnsupportedOperationException(); }

    public static Label get(String l) { throw new UnsupportedOperationException(); }

    public static Label parseExpression(String labelExpression) { throw new UnsupportedOperationException(); }
}
