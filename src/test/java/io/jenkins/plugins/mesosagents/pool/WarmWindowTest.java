package io.jenkins.plugins.mesosagents.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

class WarmWindowTest {
    // 2026-12-07 is a Monday
    private static ZonedDateTime at(int dayOfMonth, int hour, int minute) {
        return ZonedDateTime.of(
                LocalDateTime.of(2026, 12, dayOfMonth, hour, minute), ZoneOffset.UTC);
    }

    @Test
    void weekdayWindowCoversOfficeHoursOnly() {
        WarmWindow w = WarmWindow.parse("Mon-Fri 08:00-18:00 4");
        assertThat(w.days()).hasSize(5).doesNotContain(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        assertThat(w.agents()).isEqualTo(4);
        assertThat(w.covers(at(7, 8, 0))).isTrue();
        assertThat(w.covers(at(7, 17, 59))).isTrue();
        assertThat(w.covers(at(7, 18, 0))).isFalse();
        assertThat(w.covers(at(7, 7, 59))).isFalse();
        assertThat(w.covers(at(12, 10, 0))).as("Saturday").isFalse();
    }

    @Test
    void windowPastMidnightCoversTheNextMorning() {
        WarmWindow w = WarmWindow.parse("Fri 22:00-06:00 2");
        assertThat(w.covers(at(11, 23, 0))).as("Friday night").isTrue();
        assertThat(w.covers(at(12, 5, 59))).as("Saturday early").isTrue();
        assertThat(w.covers(at(12, 6, 0))).isFalse();
        assertThat(w.covers(at(11, 5, 0))).as("Friday early belongs to Thursday").isFalse();
    }

    @Test
    void wholeDaysListsAndMidnightEnd() {
        WarmWindow w = WarmWindow.parse("Sat,Sun,Wed 00:00-24:00 1");
        assertThat(w.to()).isEqualTo(LocalTime.MAX);
        assertThat(w.covers(at(9, 23, 59))).as("Wednesday late").isTrue();
        assertThat(w.covers(at(8, 12, 0))).as("Tuesday").isFalse();
        assertThat(w.toString()).isEqualTo("Wed,Sat,Sun 00:00-24:00 1");
        assertThat(WarmWindow.parse("* 09:00-10:00 3").covers(at(13, 9, 30))).isTrue();
    }

    @Test
    void parseAllSkipsBlanksAndCommentsAndNamesTheBadLine() {
        List<WarmWindow> windows =
                WarmWindow.parseAll("# office\nMon-Fri 08:00-18:00 4\n\nSat 10:00-12:00 1\n");
        assertThat(windows).hasSize(2);
        assertThatThrownBy(() -> WarmWindow.parseAll("Mon-Fri 08:00-18:00 4\nMon-Fry 8:00-9:00 1"))
                .isInstanceOf(InvalidWarmPoolException.class)
                .hasMessageContaining("line 2 'Mon-Fry 8:00-9:00 1'")
                .hasMessageContaining("unknown day 'Fry'");
    }

    @Test
    void badPartsAreRefusedWithTheFormToUse() {
        assertThatThrownBy(() -> WarmWindow.parse("Mon-Fri 08:00-18:00"))
                .hasMessageContaining("DAYS HH:MM-HH:MM AGENTS");
        assertThatThrownBy(() -> WarmWindow.parse("Mon 8-18 4")).hasMessageContaining("'8'");
        assertThatThrownBy(() -> WarmWindow.parse("Mon 25:00-26:00 4"))
                .hasMessageContaining("not a time of day");
        assertThatThrownBy(() -> WarmWindow.parse("Mon 08:00-08:00 4"))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> WarmWindow.parse("Mon 08:00-09:00 four"))
                .hasMessageContaining("'four' is not a number");
        assertThatThrownBy(() -> WarmWindow.parse("Mon 08:00-09:00 -1"))
                .hasMessageContaining("use 0 or more");
    }
}
