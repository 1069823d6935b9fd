package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.ExtensionPoint;
import hudson.model.Item;
import hudson.model.Run;
import hudson.util.ListBoxModel;
import java.util.List;
import org.springframework.security.core.Authentication;

/** Stand-in of credentials 1415 CredentialsProvider.java (the static methods we call; signatures only). */
public abstract class CredentialsProvider implements ExtensionPoint {
    public static final hudson.security.Permission USE_ITEM = null;

    // only the static methods are used: no constructor to link against
    private CredentialsProvider() { throw new UnsupportedOperationException(); }

    public static <C extends Credentials> List<C> lookupCredentialsInItem(Class<C> type, Item item, Authentication authentication) { throw new UnsupportedOperationException(); }

    public static <C extends Credentials> List<C> lookupCredentialsInItem(Class<C> type, Item item, Authentication authentication, List<DomainRequirement> domainRequirements) { throw new UnsupportedOperationException(); }

    public static <C extends IdCredentials> ListBoxModel listCredentialsInItem(Class<C> type, Item item, Authentication authentication, List<DomainRequirement> domainRequirements, CredentialsMatcher matcher) { throw new UnsupportedOperationException(); }

    public static <C extends IdCredentials> C findCredentialById(String id, Class<C> type, Run<?, ?> run) { throw new UnsupportedOperationException(); }

    public static <C extends IdCredentials> C findCredentialById(String id, Class<C> type, Run<?, ?> run, List<DomainRequirement> domainRequirements) { throw new UnsupportedOperationException(); }

    @SuppressWarnings("rawtypes")
    public static <C extends Credentials> C track(Run build, C credentials) { throw new UnsupportedOperationException(); }

    public static <C extends Credentials> C track(Item item, C credentials) { throw new UnsupportedOperationException(); }
}
