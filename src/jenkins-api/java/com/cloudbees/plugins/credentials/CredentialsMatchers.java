package com.cloudbees.plugins.credentials;

/** Stand-in of credentials 1415 CredentialsMatchers.java (signatures only). */
public class CredentialsMatchers {
    private CredentialsMatchers() { throw new UnsupportedOperationException(); }

    public static CredentialsMatcher always() { throw new UnsupportedOperationException(); }

    @SuppressWarnings("rawtypes")
    public static CredentialsMatcher instanceOf(Class clazz) { throw new UnsupportedOperationException(); }

    public static CredentialsMatcher withId(String id) { throw new UnsupportedOperationException(); }

    public static CredentialsMatcher anyOf(CredentialsMatcher... matchers) { throw new UnsupportedOperationException(); }

    public static <C extends Credentials> C firstOrNull(Iterable<C> credentials, CredentialsMatcher matcher) { throw new UnsupportedOperationException(); }
}
