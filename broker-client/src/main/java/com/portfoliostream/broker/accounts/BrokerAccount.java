package com.portfoliostream.broker.accounts;

import com.portfoliostream.broker.rest.AlpacaCredentials;
import java.util.UUID;

/** A broker account of one user, with its credentials opened (never logged: see AlpacaCredentials). */
public record BrokerAccount(UUID id, UUID userId, String environment, AlpacaCredentials credentials) {}
