package com.portfoliostream.events.model;

/**
 * An entity whose states are ordered. A state is newer than another when its version is higher;
 * a state without a version never replaces one that has a version.
 */
public interface Versioned {
  Long version();

  /** True when {@code candidate} may replace {@code current}. */
  static boolean supersedes(Versioned candidate, Versioned current) {
    if (current == null || current.version() == null) {
      return true;
    }
    return candidate.version() != null && candidate.version() >= current.version();
  }
}
