package org.kohsuke.stapler;

/** Stand-in of stapler org.kohsuke.stapler.StaplerRequest2 (the type only; it appears in Descriptor signatures). */
public interface StaplerRequest2 {
}
