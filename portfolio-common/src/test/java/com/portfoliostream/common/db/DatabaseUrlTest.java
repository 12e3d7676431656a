package com.portfoliostream.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.common.config.ConfigException;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("DATABASE_URL's TLS settings")
class DatabaseUrlTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "sslmode={0} reaches the pool as {1} and JDBC as sslmode={0}")
  @CsvSource({"disable, DISABLE", "allow, ALLOW", "prefer, PREFER", "require, REQUIRE"})
  void sslModeReachesPoolAndJdbc(String mode, SslMode expected) {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://app:secret@db.example.com:5432/portfolio?sslmode=" + mode);

    PgConnectOptions options = url.connectOptions();
    assertThat(options.getSslMode()).isEqualTo(expected);
    assertThat(options.getHost()).isEqualTo("db.example.com");
    assertThat(options.getDatabase()).isEqualTo("portfolio");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/portfolio?connectTimeout=5&sslmode=" + mode);
    assertThat(url.requiresTls()).isEqualTo(mode.equals("require"));
  }

  @Test
  @DisplayName("verify-full with sslrootcert trusts that file only and checks the host name, in the pool and in JDBC")
  void verifyFullWithRootCertificate() throws Exception {
    Path root = Files.writeString(dir.resolve("root.crt"), "-----BEGIN CERTIFICATE-----\n");
    DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://app@10.1.2.3:6432/portfolio?sslmode=verify-full&sslrootcert=" + root);

    PgConnectOptions options = url.connectOptions();
    assertThat(options.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(options.getSslOptions().isTrustAll()).isFalse();
    assertThat(((PemTrustOptions) options.getSslOptions().getTrustOptions()).getCertPaths()).containsExactly(root.toString());
    assertThat(options.getSslOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(url.jdbcUrl()).contains("sslmode=verify-full").contains("sslrootcert=" + root.toString().replace("/", "%2F"));
    assertThat(url.cleartextOffHost()).isFalse();
  }

  @Test
  @DisplayName("without sslmode, or with a weak one, an off-host database counts as cleartext; loopback does not")
  void cleartextOffHost() {
    assertThat(DatabaseUrl.parse("postgresql://app@db.example.com:5432/portfolio").cleartextOffHost()).isTrue();
    assertThat(DatabaseUrl.parse("postgresql://app@10.0.0.7:5432/portfolio?sslmode=prefer").cleartextOffHost()).isTrue();
    assertThat(DatabaseUrl.parse("postgresql://app@127.0.0.1:5432/portfolio").cleartextOffHost()).isFalse();
    assertThat(DatabaseUrl.parse("postgresql://app@127.0.0.1:5432/portfolio").connectOptions().getSslMode())
        .isEqualTo(SslMode.DISABLE);
  }

  @ParameterizedTest(name = "{0} is refused: {1}")
  @CsvSource(delimiter = '|', value = {
      "postgresql://app@h:5432/p?sslmode=sometimes | sslmode must be disable, allow, prefer, require, verify-ca or verify-full",
      "postgresql://app@h:5432/p?sslmode=verify-ca | verifies the server's certificate: add sslrootcert",
      "postgresql://app@h:5432/p?sslrootcert=/nonexistent.crt&sslmode=verify-ca | sslrootcert /nonexistent.crt is not a readable file",
      "postgresql://app@h:5432/p?ssl=true | unknown parameter 'ssl'",
  })
  void badTlsSettingsRefused(String url, String message) {
    assertThatThrownBy(() -> DatabaseUrl.parse(url)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
  }
}
