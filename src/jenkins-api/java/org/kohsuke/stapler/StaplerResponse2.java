package org.kohsuke.stapler;

/**
 * Stand-in of stapler core/src/main/java/org/kohsuke/stapler/StaplerResponse2.java:49 (the type
 * only; the members used come from jakarta.servlet's HttpServletResponse).
 */
public interface StaplerResponse2 extends jakarta.servlet.http.HttpServletResponse {
}
