package com.portfoliostream.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpPoliciesTest {

  @ParameterizedTest(name = "Content-Type \"{0}\" is JSON: {1}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "application/json                     | true",
      "Application/JSON                     | true",
      "application/json; charset=utf-8      | true",
      "application/json;charset=\"UTF-8\"     | true",
      "application/jsonx                    | false",
      "application/json-patch+json          | false",
      "application/json; charset=latin1     | false",
      "application/json; boundary=x         | false",
      "text/plain                           | false",
      "NULL                                 | false",
  })
  void onlyJsonIsJson(String contentType, boolean json) {
    assertThat(HttpPolicies.isJson(contentType)).isEqualTo(json);
  }
}
