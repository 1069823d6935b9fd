package io.jenkins.plugins.mesosagents.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import net.sf.json.JSONObject;

import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The image steps' snippet-generator form: tags typed one per line become the list the step's
 * {@code List<String>} parameter binds, while a list (as Pipeline passes it) is left alone. The
 * form data is doubled by Mockito.
 */
class ImageStepFormTest {
    @Test
    void tagsTypedOnePerLineBecomeAList() {
        JSONObject form = mock(JSONObject.class);
        when(form.opt("tags"))
                .thenReturn(
                        "registry.example.com/shop/web:1.4\n\n"
                            + "  registry.example.com/shop/web:latest \n");

        assertThat(ImageStepDescriptor.withListsSplit(form)).isSameAs(form);

        verify(form)
                .element(
                        "tags",
                        List.of(
                                "registry.example.com/shop/web:1.4",
                                "registry.example.com/shop/web:latest"));
    }

    @Test
    void aListIsLeftAsItIs() {
        JSONObject form = mock(JSONObject.class);
        when(form.opt("tags")).thenReturn(List.of("a:1"));

        ImageStepDescriptor.withListsSplit(form);

        verify(form, never())
                .element(
                        org.mockito.ArgumentMatchers.eq("tags"),
                        org.mockito.ArgumentMatchers.<java.util.Collection<?>>any());
    }

    @Test
    void theTextAreaShowsOneTagPerLine() {
        ImageStepDescriptor descriptor =
                mock(ImageStepDescriptor.class, org.mockito.Mockito.CALLS_REAL_METHODS);
        assertThat(descriptor.lines(List.of("a:1", "b:2"))).isEqualTo("a:1\nb:2");
        assertThat(descriptor.lines(null)).isEmpty();
    }
}
