package com.cloudbees.plugins.credentials.domains;

import hudson.ExtensionPoint;
import java.io.Serializable;

/** Stand-in of credentials 1415 domains/DomainRequirement.java (signatures only). */
public class DomainRequirement implements ExtensionPoint, Serializable {
    public DomainRequirement() { throw new UnsupportedOperationException(); }
}
