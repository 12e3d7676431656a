package com.portfoliostream.broker.alpaca;

/** A message from Alpaca that does not have the shape the protocol documents. */
public class AlpacaProtocolException extends RuntimeException {
  public AlpacaProtocolException(String message) {
    super(message);
  }
}
