package com.portfoliostream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.Versioned;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.events.protocol.CloseReason;
import com.portfoliostream.events.protocol.EventType;
import com.portfoliostream.events.protocol.PongPayload;
import com.portfoliostream.events.protocol.ServerEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Protocol constants")
class ProtocolConstantsTest {

  @Test
  @DisplayName("close codes carry the exact reasons of the design")
  void closeReasons() {
    assertThat(CloseReason.AUTHENTICATION_REQUIRED.code()).isEqualTo(1008);
    assertThat(CloseReason.AUTHENTICATION_REQUIRED.reason()).isEqualTo("Authentication required");
    assertThat(CloseReason.MAX_CONNECTIONS_PER_USER.reason(5))
        .isEqualTo("Maximum connections exceeded (5 per user)");
    assertThat(CloseReason.SERVER_CAPACITY.code()).isEqualTo(1013);
    assertThat(CloseReason.SERVER_CAPACITY.reason())
        .isEqualTo("Server capacity reached - please try again later");
    assertThat(CloseReason.SERVER_SHUTDOWN.code()).isEqualTo(1001);
    assertThat(CloseReason.MESSAGE_TOO_BIG.code()).isEqualTo(1009);
    for (CloseReason reason : CloseReason.values()) {
      assertThat(reason.reason(100).getBytes(StandardCharsets.UTF_8).length)
          .as(reason.name()).isLessThanOrEqualTo(123);
    }
  }

  @Test
  @DisplayName("a user's address is derived from the id, and ids that could alias are refused")
  void userAddresses() {
    assertThat(BusAddresses.user("3f2a-77")).isEqualTo("portfolio.user.3f2a-77");
    assertThatThrownBy(() -> BusAddresses.user("alice.positions"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BusAddresses.user("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BusAddresses.user(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("an envelope refuses a payload of the wrong kind")
  void envelopeChecksPayload() {
    assertThatThrownBy(() -> new ServerEvent(EventType.ORDER_UPDATE, Instant.now(), "u", null, new PongPayload()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("order_update carries Order");
  }

  @Test
  @DisplayName("an older version never supersedes a newer one")
  void versionGuard() {
    Position v3 = position(3L);
    assertThat(Versioned.supersedes(position(4L), v3)).isTrue();
    assertThat(Versioned.supersedes(position(3L), v3)).isTrue();
    assertThat(Versioned.supersedes(position(2L), v3)).isFalse();
    assertThat(Versioned.supersedes(position(null), v3)).isFalse();
    assertThat(Versioned.supersedes(position(1L), null)).isTrue();
  }

  private static Position position(Long version) {
    return new Position("AAPL", null, null, null, null, null, null, null, null, null, null, version);
  }
}
