package com.portfoliostream.common.security;

import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.control.ControlSignals;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a rotation of the credentials key ({@code bin/portfolio-admin keys rotate}) on a node
 * holding it: when operators signal {@link ControlSignals.Kind#KEYS}, the node reads its key again
 * (CREDENTIALS_KEY_FILE) and takes it once it opens the database's marker. Until the file holds the
 * new key (on another host, the operator replaces it after the rotation) it looks again every
 * {@link #RETRY_MS}; meanwhile streams already open keep running, and what must open a secret
 * (a new stream, an order) fails with a clear error. A node given the key in CREDENTIALS_KEY
 * itself cannot read a new one: it says so, and needs a restart with the new key.
 */
public final class CredentialKeyReload {

  static final long RETRY_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(CredentialKeyReload.class);

  private final Vertx vertx;
  private final NodeContext node;
  private long retryTimer = -1;

  private CredentialKeyReload(Vertx vertx, NodeContext node) {
    this.vertx = vertx;
    this.node = node;
  }

  /** Follows rotations for {@code node}'s cipher, if it holds a key. */
  public static void follow(Vertx vertx, NodeContext node) {
    if (!node.cipher().hasKey()) {
      return;
    }
    CredentialKeyReload reload = new CredentialKeyReload(vertx, node);
    node.control().on(vertx, ControlSignals.Kind.KEYS, reload::check);
  }

  private void check() {
    CredentialKeyCheck.opens(node.pool(), node.cipher()).onComplete(current -> {
      if (current.failed()) {
        LOG.warn("Could not check the credentials key after a rotation ({}); trying again", current.cause().getMessage());
        retry();
      } else if (!current.result()) {
        reload();
      }
    });
  }

  private void reload() {
    if (!CredentialCipher.keyFromFile(node.config())) {
      LOG.warn("The broker secrets were re-sealed under a new credentials key; this node has its key in "
          + "CREDENTIALS_KEY and cannot read the new one: restart it with the new key");
      return;
    }
    Future<byte[]> raw = vertx.executeBlocking(() -> CredentialCipher.readKey(node.config()));
    raw.compose(key -> CredentialKeyCheck.opens(node.pool(), new CredentialCipher(key)).map(opens -> {
      if (opens) {
        node.cipher().replaceKey(key);
        LOG.info("Credentials key rotated: node {} now opens broker secrets with the new key from {}",
            node.nodeId(), CredentialCipher.keyFile(node.config()));
      } else {
        LOG.warn("The broker secrets were re-sealed under a new credentials key that {} does not hold yet; "
            + "looking again every {} s", CredentialCipher.keyFile(node.config()), RETRY_MS / 1000);
        retry();
      }
      return null;
    })).onFailure(e -> {
      LOG.warn("Could not read the credentials key again after a rotation ({}); looking again every {} s",
          e.getMessage(), RETRY_MS / 1000);
      retry();
    });
  }

  private void retry() {
    if (retryTimer >= 0) {
      return;
    }
    retryTimer = vertx.setTimer(RETRY_MS, id -> {
      retryTimer = -1;
      check();
    });
  }
}
