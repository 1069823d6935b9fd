package io.jenkins.plugins.mesosagents.image.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge: a scheme ({@code Basic}, {@code Bearer}) and its
 * parameters, e.g. {@code Bearer
 * realm="https://auth/token",service="registry",scope="repository:a:pull,push"}. Parameter names
 * are lower-cased; quoted values may contain commas and backslash escapes.
 */
public record Challenge(String scheme, Map<String, String> parameters) {
    public Challenge {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public boolean isBasic() {
        return scheme.equalsIgnoreCase("Basic");
    }

    public boolean isBearer() {
        return scheme.equalsIgnoreCase("Bearer");
    }

    public String parameter(String name) {
        return parameters.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Parses every challenge in one header value; unknown shapes yield an empty list, never an
     * exception.
     */
    public static List<Challenge> parse(String header) {
        List<Challenge> result = new ArrayList<>();
        if (header == null) {
            return result;
        }
        int i = 0;
        int n = header.length();
        String scheme = null;
        Map<String, String> params = new LinkedHashMap<>();
        while (i < n) {
            while (i < n
                    && (header.charAt(i) == ' '
                            || header.charAt(i) == ','
                            || header.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < n && isTokenChar(header.charAt(i))) {
                i++;
            }
            if (start == i) {
                i++;
                continue;
            }
            String token = header.substring(start, i);
            int afterSpaces = i;
            while (afterSpaces < n && header.charAt(afterSpaces) == ' ') {
                afterSpaces++;
            }
            if (afterSpaces < n && header.charAt(afterSpaces) == '=' && scheme != null) {
                i = afterSpaces + 1;
                while (i < n && header.charAt(i) == ' ') {
                    i++;
                }
                StringBuilder value = new StringBuilder();
                if (i < n && header.charAt(i) == '"') {
                    i++;
                    while (i < n && header.charAt(i) != '"') {
                        char c = header.charAt(i++);
                        if (c == '\\' && i < n) {
                            c = header.charAt(i++);
                        }
                        value.append(c);
                    }
                    i++;
                } else {
                    while (i < n && header.charAt(i) != ',' && header.charAt(i) != ' ') {
                        value.append(header.charAt(i++));
                    }
                }
                params.put(token.toLowerCase(Locale.ROOT), value.toString());
            } else {
                if (scheme != null) {
                    result.add(new Challenge(scheme, params));
                    params = new LinkedHashMap<>();
                }
                scheme = token;
            }
        }
        if (scheme != null) {
            result.add(new Challenge(scheme, params));
        }
        return result;
    }

    private static boolean isTokenChar(char c) {
        return Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~/".indexOf(c) >= 0;
    }
}
