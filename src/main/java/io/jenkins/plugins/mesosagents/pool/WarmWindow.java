package io.jenkins.plugins.mesosagents.pool;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A scheduled warm window: on these days, from {@code from} (inclusive) to {@code to} (exclusive),
 * keep {@code agents} idle agents. A window whose end is not after its start runs past midnight
 * into the next day ({@code Fri 22:00-06:00} covers Friday night and early Saturday). Written one
 * per line as {@code DAYS HH:MM-HH:MM AGENTS}, where DAYS is {@code *}, a day ({@code Mon}), a
 * range ({@code Mon-Fri}) or a comma list of those; {@code 24:00} may end a window.
 */
public record WarmWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, int agents) {
    public WarmWindow {
        days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
        if (agents < 0) {
            throw new InvalidWarmPoolException(
                    "a warm window keeps " + agents + " agents; use 0 or more");
        }
    }

    /** Whether this window covers the instant {@code at} (in the zone it carries). */
    public boolean covers(ZonedDateTime at) {
        LocalTime t = at.toLocalTime();
        DayOfWeek day = at.getDayOfWeek();
        if (from.isBefore(to)) {
            return days.contains(day) && !t.isBefore(from) && t.isBefore(to);
        }
        // past midnight: the evening part on the listed day, the morning part on the day after
        return (days.contains(day) && !t.isBefore(from))
                || (days.contains(day.minus(1)) && t.isBefore(to));
    }

    /**
     * Parses the warm-window text of a template, one window per line; blank lines and lines
     * starting with {@code #} are skipped.
     *
     * @throws InvalidWarmPoolException naming the line, what is wrong with it and the form to use
     */
    public static List<WarmWindow> parseAll(String text) {
        List<WarmWindow> windows = new ArrayList<>();
        if (text == null) {
            return windows;
        }
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                windows.add(parse(line));
            } catch (InvalidWarmPoolException e) {
                throw new InvalidWarmPoolException(
                        "warm windows, line " + (i + 1) + " '" + line + "': " + e.getMessage());
            }
        }
        return windows;
    }

    /** Parses one {@code DAYS HH:MM-HH:MM AGENTS} line. */
    public static WarmWindow parse(String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 3) {
            throw new InvalidWarmPoolException(
                    "expected 'DAYS HH:MM-HH:MM AGENTS', e.g. 'Mon-Fri 08:00-18:00 4'");
        }
        Set<DayOfWeek> days = days(parts[0]);
        String[] span = parts[1].split("-", -1);
        if (span.length != 2) {
            throw new InvalidWarmPoolException(
                    "the time span '" + parts[1] + "' is not HH:MM-HH:MM, e.g. 08:00-18:00");
        }
        LocalTime from = time(span[0], false);
        LocalTime to = time(span[1], true);
        if (from.equals(to)) {
            throw new InvalidWarmPoolException(
                    "the window " + parts[1] + " is empty; use 00:00-24:00 for a whole day");
        }
        int agents;
        try {
            agents = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
            throw new InvalidWarmPoolException(
                    "'" + parts[2] + "' is not a number of agents; use a whole number like 4");
        }
        return new WarmWindow(days, from, to, agents);
    }

    private static Set<DayOfWeek> days(String text) {
        if (text.equals("*")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : text.split(",")) {
            String[] range = item.split("-", -1);
            if (range.length == 1) {
                days.add(day(range[0]));
            } else if (range.length == 2) {
                DayOfWeek d = day(range[0]);
                DayOfWeek last = day(range[1]);
                days.add(d);
                while (d != last) {
                    d = d.plus(1);
                    days.add(d);
                }
            } else {
                throw new InvalidWarmPoolException("'" + item + "' is not a day or a day range");
            }
        }
        return days;
    }

    private static DayOfWeek day(String text) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ROOT).equalsIgnoreCase(text)) {
                return d;
            }
        }
        throw new InvalidWarmPoolException(
                "unknown day '" + text + "'; use Mon, Tue, Wed, Thu, Fri, Sat, Sun, ranges like"
                        + " Mon-Fri, or *");
    }

    private static LocalTime time(String text, boolean end) {
        if (end && text.equals("24:00")) {
            return LocalTime.MAX;
        }
        String[] hm = text.split(":", -1);
        try {
            if (hm.length == 2 && hm[0].length() <= 2 && hm[1].length() == 2) {
                return LocalTime.of(Integer.parseInt(hm[0]), Integer.parseInt(hm[1]));
            }
        } catch (RuntimeException e) {
            // falls through to the message below
        }
        throw new InvalidWarmPoolException(
                "'" + text + "' is not a time of day; use HH:MM from 00:00 to 23:59"
                        + (end ? " (or 24:00 to end at midnight)" : ""));
    }

    @Override
    public String toString() {
        String dayText =
                days.size() == 7
                        ? "*"
                        : days.stream()
                                .sorted()
                                .map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ROOT))
                                .collect(Collectors.joining(","));
        return dayText
                + " "
                + from
                + "-"
                + (to == LocalTime.MAX ? "24:00" : to.toString())
                + " "
                + agents;
    }
}
