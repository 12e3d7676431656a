package com.portfoliostream.benchmarks;

import io.vertx.core.Vertx;
import java.util.Map;

/** A server the scale benchmark drives: started, fed events, measured in its own process, stopped. */
interface ScaleServer extends AutoCloseable {

  /** stream or socketio. */
  String name();

  Dialect dialect();

  /** The HTTP and WebSocket port on 127.0.0.1. */
  int port();

  /** The Vert.x whose event loop runs the load (it owns the sink's connection). */
  Vertx publisher();

  /** Where the load's events go. */
  EventSink events();

  /** The server's process, for its CPU time and resident memory. */
  ProcStat process();

  /** The server's heap in use right after a full collection, in bytes. */
  long heapUsedAfterGc() throws Exception;

  /** Lines the server printed that tell of a problem (our node's ERROR lines; anything the peer says after it is up). */
  long errorLines();

  /** Its garbage collector's log, for the pauses of each phase; empty where the runtime keeps none we read (node). */
  default java.util.Optional<GcLog> gcLog() {
    return java.util.Optional.empty();
  }

  /** What it was started with (settings, runtime), for the report. */
  Map<String, Object> settings();
}
