package com.portfoliostream.events.protocol;

/** Either a valid client message or the exact reason it was refused. */
public sealed interface ParseResult {

  record Accepted(ClientMessage message) implements ParseResult {}

  record Rejected(ProtocolError error) implements ParseResult {}
}
