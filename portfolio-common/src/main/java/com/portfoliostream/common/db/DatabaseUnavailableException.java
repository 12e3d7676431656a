package com.portfoliostream.common.db;

/** The configured database cannot be reached or used; the message names where and why. */
public class DatabaseUnavailableException extends RuntimeException {
  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
