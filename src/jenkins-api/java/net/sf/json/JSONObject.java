package net.sf.json;

/** Stand-in of json-lib 2.4-jenkins-8 net.sf.json.JSONObject (the type only; it appears in Descriptor signatures). */
public final class JSONObject {
    public JSONObject() { throw new UnsupportedOperationException(); }

    public String optString(String key, String defaultValue) { throw new UnsupportedOperationException(); }

    public Object opt(String key) { throw new UnsupportedOperationException(); }

    public Object remove(Object key) { throw new UnsupportedOperationException(); }

    public JSONObject element(String key, java.util.Collection value) { throw new UnsupportedOperationException(); }
}
