package com.portfoliostream.events.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.portfoliostream.events.protocol.EventPayload;
import com.portfoliostream.events.protocol.EventType;
import com.portfoliostream.events.protocol.ServerEvent;

/** Writes server events to their wire JSON and reads them back, choosing the payload by type. */
public final class ServerEventCodec {

  private ServerEventCodec() {}

  public static String encode(ServerEvent event) {
    return WireJson.write(toTree(event));
  }

  /**
   * An event's wire JSON in the two parts around its {@code seq}, so that an event going to many
   * sockets is encoded once and numbered per socket: {@code numbered(event).withSeq(n)} is exactly
   * {@code encode(event.withSeq(n))}.
   */
  public record Numbered(String head, String tail) {
    public String withSeq(long seq) {
      return head + ",\"seq\":" + seq + tail;
    }
  }

  /** The two parts of {@code event}'s JSON around the seq it does not have yet. */
  public static Numbered numbered(ServerEvent event) {
    StringBuilder head = new StringBuilder(64).append("{\"type\":").append(WireJson.write(event.type().wire()))
        .append(",\"timestamp\":").append(WireJson.write(WireJson.formatInstant(event.timestamp())));
    if (event.userId() != null) {
      head.append(",\"userId\":").append(WireJson.write(event.userId()));
    }
    return new Numbered(head.toString(), ",\"data\":" + WireJson.write(event.data()) + "}");
  }

  public static ObjectNode toTree(ServerEvent event) {
    ObjectNode node = WireJson.mapper().createObjectNode();
    node.put("type", event.type().wire());
    node.put("timestamp", WireJson.formatInstant(event.timestamp()));
    if (event.userId() != null) {
      node.put("userId", event.userId());
    }
    if (event.seq() != null) {
      node.put("seq", event.seq());
    }
    node.set("data", WireJson.mapper().valueToTree(event.data()));
    return node;
  }

  /** Parses one server message; fails with a message naming the problem. */
  public static ServerEvent decode(String json) {
    try {
      return fromTree(WireJson.mapper().readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a server event: " + e.getOriginalMessage(), e);
    }
  }

  public static ServerEvent fromTree(JsonNode node) throws JsonProcessingException {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("a server event is a JSON object");
    }
    String typeName = node.path("type").asText();
    EventType type = EventType.fromWire(typeName)
        .orElseThrow(() -> new IllegalArgumentException("unknown event type '" + typeName + "'"));
    JsonNode timestamp = node.get("timestamp");
    if (timestamp == null || !timestamp.isTextual()) {
      throw new IllegalArgumentException("event has no timestamp");
    }
    JsonNode data = node.get("data");
    if (data == null || !data.isObject()) {
      throw new IllegalArgumentException("event has no data object");
    }
    EventPayload payload = WireJson.mapper().treeToValue(data, type.payloadType());
    JsonNode userId = node.get("userId");
    JsonNode seq = node.get("seq");
    return new ServerEvent(type, WireJson.parseInstant(timestamp.asText()),
        userId == null || userId.isNull() ? null : userId.asText(),
        seq == null || seq.isNull() ? null : seq.asLong(), payload);
  }

}
