package com.portfoliostream.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.common.config.ConfigException;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.common.security.PasswordHashing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Credential encryption and password hashing")
class SecurityTest {

  @TempDir Path dir;

  private final CredentialCipher cipher =
      new CredentialCipher(Base64.getDecoder().decode(CredentialCipher.generateKey()));

  @Test
  @DisplayName("a sealed secret opens only for its own row and key, and is never stored in clear")
  void sealsToRow() {
    byte[] sealed = cipher.encrypt("alpaca-secret", "row-1");

    assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("alpaca-secret");
    assertThat(cipher.decrypt(sealed, "row-1")).isEqualTo("alpaca-secret");
    assertThatThrownBy(() -> cipher.decrypt(sealed, "row-2"))
        .isInstanceOf(CredentialCipher.CredentialDecryptionException.class);
    CredentialCipher other = new CredentialCipher(Base64.getDecoder().decode(CredentialCipher.generateKey()));
    assertThatThrownBy(() -> other.decrypt(sealed, "row-1"))
        .isInstanceOf(CredentialCipher.CredentialDecryptionException.class);
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> cipher.decrypt(sealed, "row-1"))
        .isInstanceOf(CredentialCipher.CredentialDecryptionException.class);
  }

  @Test
  @DisplayName("two encryptions of one secret differ (fresh nonce each time)")
  void freshNonce() {
    assertThat(cipher.encrypt("s", "r")).isNotEqualTo(cipher.encrypt("s", "r"));
  }

  @Test
  @DisplayName("without CREDENTIALS_KEY a private key file is made once in DATA_DIR and reused")
  void keyFile() throws Exception {
    var config = ConfigLoader.load(Map.of("DATA_DIR", dir.toString()));
    byte[] sealed = CredentialCipher.fromConfig(config).encrypt("x", "r");

    Path file = dir.resolve(CredentialCipher.KEY_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(CredentialCipher.fromConfig(config).decrypt(sealed, "r")).isEqualTo("x");
  }

  @Test
  @DisplayName("a key of the wrong size or encoding is refused")
  void badKeys() {
    assertThatThrownBy(() -> CredentialCipher.fromConfig(ConfigLoader.load(Map.of("CREDENTIALS_KEY", "c2hvcnQ="))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> CredentialCipher.fromConfig(ConfigLoader.load(Map.of("CREDENTIALS_KEY", "***"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("base64");
  }

  @Test
  @DisplayName("passwords hash to PBKDF2 PHC strings that verify only the right password")
  void passwords() {
    PasswordHashing hashing = new PasswordHashing();
    String hash = hashing.hash("correct horse");

    assertThat(hash).startsWith("$pbkdf2$it=" + PasswordHashing.ITERATIONS + "$");
    assertThat(hashing.verify(hash, "correct horse")).isTrue();
    assertThat(hashing.verify(hash, "correct horsE")).isFalse();
    assertThat(hashing.verify("not-a-hash", "x")).isFalse();
    assertThat(hashing.hash("correct horse")).isNotEqualTo(hash);
  }

  @Test
  @DisplayName("new hashes take PASSWORD_HASH_ITERATIONS (210000 by default), and a hash of any count verifies with any setting")
  void iterationsSetting() {
    PasswordHashing quick = PasswordHashing.fromConfig(ConfigLoader.load(Map.of("PASSWORD_HASH_ITERATIONS", "10000")));
    PasswordHashing standard = PasswordHashing.fromConfig(ConfigLoader.load(Map.of()));

    String quickHash = quick.hash("correct horse");
    String standardHash = standard.hash("correct horse");

    assertThat(quickHash).startsWith("$pbkdf2$it=10000$");
    assertThat(standardHash).startsWith("$pbkdf2$it=210000$");
    assertThat(quick.belowDefault()).isTrue();
    assertThat(standard.belowDefault()).isFalse();
    assertThat(standard.verify(quickHash, "correct horse")).isTrue();
    assertThat(quick.verify(standardHash, "correct horse")).isTrue();
    assertThat(standard.verify(quickHash, "correct horsE")).isFalse();
    assertThatThrownBy(() -> new PasswordHashing(9_999)).isInstanceOf(IllegalArgumentException.class);
  }
}
