package org.kohsuke.stapler.verb;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Stand-in of stapler org.kohsuke.stapler.verb.POST (the real one is an @InterceptorAnnotation). */
@Target(java.lang.annotation.ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface POST {
}
