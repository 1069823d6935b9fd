package io.jenkins.plugins.mesosagents.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-template launch failure tracking: after {@code threshold} consecutive failures a template is not launched
 * for base·2^(failures−threshold), capped; one task reaching RUNNING resets it. Loop-confined.
 */
final class CrashLoop {
  /** A template's failure streak. */
  static final class Streak {
    int failures;
    long backoffUntilMillis;
    String lastReason = "";
  }

  private final int threshold;
  private final Duration base;
  private final Duration max;
  private final Map<String, Streak> streaks = new HashMap<>();

  CrashLoop(int threshold, Duration base, Duration max) {
    this.threshold = threshold;
    this.base = base;
    this.max = max;
  }

  void failure(String template, String reason, long nowMillis) {
    Streak s = streaks.computeIfAbsent(template, k -> new Streak());
    s.failures++;
    s.lastReason = reason;
    if (s.failures >= threshold) {
      int exp = Math.min(20, s.failures - threshold);
      long delay = Math.min(max.toMillis(), base.toMillis() << exp);
      s.backoffUntilMillis = nowMillis + delay;
    }
  }

  void success(String template) {
    streaks.remove(template);
  }

  boolean backingOff(String template, long nowMillis) {
    Streak s = streaks.get(template);
    return s != null && s.backoffUntilMillis > nowMillis;
  }

  Streak streak(String template) {
    return streaks.get(template);
  }

  /** Whether a back-off ended since the last call (so demand must be revived). */
  boolean expiredSince(long lastMillis, long nowMillis) {
    for (Streak s : streaks.values()) {
      if (s.backoffUntilMillis > lastMillis && s.backoffUntilMillis <= nowMillis) {
        return true;
      }
    }
    return false;
  }
}
