package hudson.util;

import java.util.ArrayList;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/util/ListBoxModel.java (signatures only). */
public class ListBoxModel extends ArrayList<ListBoxModel.Option> {
    public ListBoxModel() { throw new UnsupportedOperationException(); }

    public ListBoxModel(Option... data) { throw new UnsupportedOperationException(); }

    public void add(String displayName, String value) { throw new UnsupportedOperationException(); }

    public ListBoxModel add(String nameAndValue) { throw new UnsupportedOperationException(); }

    /** Stand-in of ListBoxModel.Option. */
    public static final class Option {
        public String name;
        public String value;
        public boolean selected;

        public Option(String name, String value) { throw new UnsupportedOperationException(); }

        public Option(String name) { throw new UnsupportedOperationException(); }

        public Option(String name, String value, boolean selected) { throw new UnsupportedOperationException(); }
    }
}
