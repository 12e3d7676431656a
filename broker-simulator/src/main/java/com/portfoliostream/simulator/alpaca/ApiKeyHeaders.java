package com.portfoliostream.simulator.alpaca;

/** Alpaca's API key headers: on every REST request, and optionally on the market-data upgrade. */
public final class ApiKeyHeaders {

  public static final String KEY_ID = "APCA-API-KEY-ID";
  public static final String SECRET_KEY = "APCA-API-SECRET-KEY";

  private ApiKeyHeaders() {}
}
