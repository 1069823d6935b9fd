package hudson.model.labels;

import hudson.model.Label;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/labels/LabelAtom.java (signatures only). */
public class LabelAtom extends Label {
    public LabelAtom(String name) {
        super(name);
        throw new UnsupportedOperationException();
    }

    @Override
    public String getExpression() { throw new UnsupportedOperationException(); }

    public static LabelAtom get(String l) { throw new UnsupportedOperationException(); }
}
