package com.portfoliostream.ingest.stream;

/** Where one trading stream is: what operators see in logs and health, and what tests wait for. */
public enum StreamState {
  CONNECTING,
  /** Authenticated and listening; the backfill after the connect may still be running. */
  LISTENING,
  /** Waiting out a backoff delay before the next attempt. */
  RECONNECTING,
  /** The broker refused the credentials: retrying cannot help until someone fixes them. */
  AUTH_FAILED,
  STOPPED
}
