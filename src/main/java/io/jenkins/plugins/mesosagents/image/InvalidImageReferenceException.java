package io.jenkins.plugins.mesosagents.image;

/**
 * An image reference that does not follow the Docker reference grammar; the message names the bad
 * part.
 */
public final class InvalidImageReferenceException extends IllegalArgumentException {
    private final String reference;
    private final String problem;

    public InvalidImageReferenceException(String reference, String problem) {
        super(
                "Invalid image reference \""
                        + reference
                        + "\": "
                        + problem
                        + ". Expected [registry[:port]/]path[:tag][@sha256:digest], e.g."
                        + " registry.example.com:5000/team/app:1.0");
        this.reference = reference;
        this.problem = problem;
    }

    /** What is wrong, without the reference and the expected form. */
    public String problem() {
        return problem;
    }

    public String reference() {
        return reference;
    }
}
