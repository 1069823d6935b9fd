package io.jenkins.plugins.mesosagents.marathon;

import okhttp3.Credentials;
import okhttp3.OkHttpClient;

import java.io.IOException;
import java.util.Objects;

/**
 * How requests to Marathon are authenticated: nothing, HTTP Basic, a fixed DC/OS token, or a DC/OS
 * service account ({@link DcosServiceAccountAuth}). Implementations never reveal their secret in
 * {@code toString()}.
 */
public interface MarathonAuth {

    /** The {@code Authorization} header for the next request, or null to send none. */
    String authorization(OkHttpClient http) throws IOException;

    /**
     * Called after Marathon answered 401. Drops any cached token and returns true when repeating
     * the request once may succeed (a fresh login), false when the credentials themselves were
     * rejected.
     */
    default boolean invalidate() {
        return false;
    }

    /** A short description without secrets, used in error messages. */
    String describe();

    static MarathonAuth none() {
        return None.INSTANCE;
    }

    static MarathonAuth basic(String username, String password) {
        return new Basic(username, password);
    }

    /**
     * A DC/OS authentication token, sent as {@code Authorization: token=<token>}; a leading
     * "token=" is allowed.
     */
    static MarathonAuth token(String token) {
        return new Token(token);
    }

    /** No authentication (open Marathon). */
    final class None implements MarathonAuth {
        static final None INSTANCE = new None();

        @Override
        public String authorization(OkHttpClient http) {
            return null;
        }

        @Override
        public String describe() {
            return "no credentials";
        }

        @Override
        public String toString() {
            return "MarathonAuth.none()";
        }
    }

    /** HTTP Basic, as set by Marathon's {@code --http_credentials user:password}. */
    final class Basic implements MarathonAuth {
        private final String username;
        private final String header;

        Basic(String username, String password) {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.contains(":")) {
                throw new IllegalArgumentException(
                        "A Marathon Basic-auth username may not contain ':' (got '"
                                + username
                                + "')");
            }
            this.username = username;
            this.header = Credentials.basic(username, password);
        }

        @Override
        public String authorization(OkHttpClient http) {
            return header;
        }

        @Override
        public String describe() {
            return "HTTP Basic as user '" + username + "'";
        }

        @Override
        public String toString() {
            return "MarathonAuth.basic(" + username + ", ****)";
        }
    }

    /**
     * A fixed DC/OS token (e.g. from {@code dcos config show core.dcos_acs_token}); cannot be
     * refreshed.
     */
    final class Token implements MarathonAuth {
        private final String header;

        Token(String token) {
            Objects.requireNonNull(token, "token");
            String bare = token.strip();
            if (bare.startsWith("token=")) {
                bare = bare.substring("token=".length());
            }
            if (bare.isEmpty()) {
                throw new IllegalArgumentException("The DC/OS token is empty");
            }
            this.header = "token=" + bare;
        }

        @Override
        public String authorization(OkHttpClient http) {
            return header;
        }

        @Override
        public String describe() {
            return "a DC/OS token";
        }

        @Override
        public String toString() {
            return "MarathonAuth.token(****)";
        }
    }
}
