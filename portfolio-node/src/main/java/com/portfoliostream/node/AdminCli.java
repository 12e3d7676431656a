package com.portfoliostream.node;

import com.portfoliostream.admin.manage.Actor;
import com.portfoliostream.admin.manage.Administration;
import com.portfoliostream.admin.manage.KeyRotation;
import com.portfoliostream.admin.manage.Refusal;
import com.portfoliostream.broker.BrokerSettings;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.common.config.ConfigException;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.common.security.CredentialKeyCheck;
import com.portfoliostream.common.security.KeyFiles;
import com.portfoliostream.common.security.PasswordHashing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/portfolio-admin}: the admin API's operations from a shell, for the first admin and for
 * scripts. It reads the node's settings (DATABASE_URL or the embedded database in DATA_DIR,
 * CREDENTIALS_KEY or its file, BROKER_API_URL) from the environment, acts on the database directly,
 * and every node picks the change up within seconds. Passwords and secrets are read from the
 * terminal without echo, or from the first line of stdin, never from the command line. Results are
 * JSON on stdout; errors one line on stderr, with the exit codes of {@link #USAGE}.
 */
public final class AdminCli {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE_ERROR = 2;

  static final String USAGE = """
      usage: portfolio-admin <command> [arguments]

        users list
        users create <username> --role trader|admin      password from the terminal or stdin
        users disable <username>                          ends their sessions, closes their sockets
        users enable <username>
        users reset-password <username>                   password from the terminal or stdin
        users delete <username>                           only without a broker account
        accounts link <username> --environment simulator|paper|live --key-id <id> [--no-test]
                                                          secret from the terminal or stdin
        accounts rotate <username> [--no-test]            new secret from the terminal or stdin
        accounts test <username>
        accounts unlink <username>
        rollout show
        rollout set <percentage>                          0..100 of users, by a stable hash
        rollout on | off                                  off: nobody streams (rollback)
        rollout allow|deny|clear <username>
        keys rotate [--new-key-file <file>]               re-seals every broker secret
        audit [--limit <n>]

      exit codes: 0 done; 1 failed (database, broker or key unusable); 2 usage; 3 refused as invalid;
                  4 not found; 5 conflict; 6 the broker refused the credentials
      """;

  private final PrintStream out;
  private final PrintStream err;
  private final Secrets secrets;

  /** Where passwords and secrets come from. */
  interface Secrets {
    String read(String prompt, boolean confirm) throws IOException;
  }

  AdminCli(PrintStream out, PrintStream err, Secrets secrets) {
    this.out = out;
    this.err = err;
    this.secrets = secrets;
  }

  public static void main(String[] args) {
    int status = new AdminCli(System.out, System.err, AdminCli::fromTerminalOrStdin).run(args, System.getenv());
    System.exit(status);
  }

  int run(String[] args, Map<String, String> environment) {
    Command command;
    try {
      command = Command.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("portfolio-admin: " + e.getMessage());
      err.print(USAGE);
      return USAGE_ERROR;
    }
    if (command == null) {
      out.print(USAGE);
      return OK;
    }
    NodeConfig config;
    try {
      config = ConfigLoader.load(environment);
    } catch (ConfigException e) {
      err.println("portfolio-admin: invalid configuration: " + e.getMessage());
      return USAGE_ERROR;
    }
    String pending;
    try {
      pending = command.needsSecret() ? secrets.read(command.secretPrompt(), command.confirmSecret()) : null;
    } catch (IOException e) {
      err.println("portfolio-admin: could not read the " + command.secretName() + ": " + e.getMessage());
      return USAGE_ERROR;
    }
    if (command.needsSecret() && (pending == null || pending.isEmpty())) {
      err.println("portfolio-admin: no " + command.secretName() + " given (type it, or pipe it on stdin)");
      return USAGE_ERROR;
    }
    try (Database database = Database.open(config)) {
      Vertx vertx = Vertx.vertx();
      try {
        Pool pool = PgPools.create(vertx, database.url(), 2, "portfolio-admin");
        return execute(command, pending, config, vertx, pool).toCompletionStage().toCompletableFuture()
            .get(2, TimeUnit.MINUTES);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof Refusal refusal) {
        err.println("portfolio-admin: " + refusal.getMessage() + (refusal.details().isEmpty() ? "" : " " + refusal.details()));
        return refusal.kind().exitCode;
      }
      err.println("portfolio-admin: failed: " + cause.getMessage());
      return FAILED;
    }
  }

  private Future<Integer> execute(Command c, String secret, NodeConfig config, Vertx vertx, Pool pool) throws IOException {
    Actor actor = new Actor("cli:" + System.getProperty("user.name", "unknown"), "local");
    PasswordHashing hashing = PasswordHashing.fromConfig(config);
    boolean credentials = c.group().equals("accounts") || c.group().equals("keys");
    CredentialCipher cipher = credentials ? CredentialCipher.fromConfig(config) : CredentialCipher.withoutKey();
    Optional<AlpacaRestClient> broker = c.group().equals("accounts") && !c.flag("no-test")
        ? Optional.of(new AlpacaRestClient(vertx, BrokerSettings.from(config).restUrl(), AlpacaRestClient.DEFAULT_TIMEOUT))
        : Optional.empty();
    Administration admin = new Administration(vertx, pool, hashing, cipher, broker);
    Future<Void> keyChecked = credentials ? CredentialKeyCheck.opens(pool, cipher).compose(opens -> opens
        ? Future.succeededFuture()
        : Future.failedFuture(new IllegalStateException("CREDENTIALS_KEY is not the key that sealed this database's broker secrets")))
        : Future.succeededFuture();
    return keyChecked.compose(v -> switch (c.group() + " " + c.action()) {
      case "users list" -> print(admin.listUsers(actor, null));
      case "users create" -> print(admin.createUser(actor, c.arg(0), secret, c.option("role")));
      case "users disable" -> print(admin.disableUser(actor, c.arg(0)));
      case "users enable" -> print(admin.enableUser(actor, c.arg(0)));
      case "users reset-password" -> print(admin.resetPassword(actor, c.arg(0), secret));
      case "users delete" -> print(admin.deleteUser(actor, c.arg(0)));
      case "accounts link" -> print(admin.linkAccount(actor, c.arg(0), c.option("environment"), c.option("key-id"), secret));
      case "accounts rotate" -> print(admin.rotateSecret(actor, c.arg(0), secret));
      case "accounts test" -> print(admin.testAccount(actor, c.arg(0)));
      case "accounts unlink" -> print(admin.unlinkAccount(actor, c.arg(0)));
      case "rollout show" -> print(admin.rollout(actor));
      case "rollout set" -> print(admin.setRollout(actor, null, c.percentage()));
      case "rollout on" -> print(admin.setRollout(actor, true, null));
      case "rollout off" -> print(admin.setRollout(actor, false, null));
      case "rollout allow", "rollout deny" -> print(admin.listUser(actor, c.arg(0), c.action()));
      case "rollout clear" -> print(admin.listUser(actor, c.arg(0), null));
      case "keys rotate" -> rotateKeys(c, config, pool, cipher, actor);
      case "audit list" -> print(admin.audit(c.limit(), null).map(entries -> new JsonObject().put("entries", entries)));
      default -> Future.failedFuture(new IllegalStateException("unknown command"));
    }).eventually(() -> {
      broker.ifPresent(AlpacaRestClient::close);
      return Future.succeededFuture();
    });
  }

  /**
   * The new key comes from --new-key-file, or is made here. It is written next to the node's key
   * file before the transaction and takes that file's place after it commits, so it is never only
   * in memory: nodes on this machine then read it within seconds. Elsewhere, the operator puts the
   * same file in place (CREDENTIALS_KEY_FILE), or restarts nodes given CREDENTIALS_KEY with it.
   */
  private Future<Integer> rotateKeys(Command c, NodeConfig config, Pool pool, CredentialCipher current, Actor actor) {
    Path keyFile = CredentialCipher.keyFile(config);
    boolean fromFile = CredentialCipher.keyFromFile(config);
    String given = c.option("new-key-file");
    String base64;
    try {
      if (given != null) {
        base64 = Files.readString(Path.of(given)).trim();
      } else if (fromFile) {
        base64 = KeyFiles.generate();
      } else {
        return Future.failedFuture(new Refusal(Refusal.Kind.INVALID, "CREDENTIALS_KEY is given inline: pass "
            + "--new-key-file with the new key, then restart the nodes with it", Map.of()));
      }
    } catch (IOException e) {
      return Future.failedFuture(new IllegalStateException("cannot read " + given + ": " + e.getMessage()));
    }
    CredentialCipher next;
    try {
      next = new CredentialCipher(KeyFiles.decode("the new key", base64));
    } catch (ConfigException e) {
      return Future.failedFuture(new Refusal(Refusal.Kind.INVALID, e.getMessage(), Map.of()));
    }
    Path staged = keyFile.resolveSibling(keyFile.getFileName() + ".new");
    if (fromFile) {
      KeyFiles.replace(staged, base64);
    }
    return KeyRotation.rotate(pool, current, next, actor).compose(count -> {
      JsonObject result = new JsonObject().put("secretsResealed", count);
      if (fromFile) {
        try {
          Files.move(staged, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
              java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          result.put("keyFile", keyFile.toString()).put("nodesReload", "within seconds, from " + keyFile);
        } catch (IOException e) {
          result.put("keyFile", staged.toString()).put("warning", "could not move the new key into " + keyFile
              + ": move " + staged + " there yourself");
        }
      } else {
        result.put("nodesReload", "restart every node holding CREDENTIALS_KEY with the key in " + given);
      }
      return print(Future.succeededFuture(result));
    }, e -> {
      try {
        Files.deleteIfExists(staged);
      } catch (IOException ignored) {
        // the staged key opens nothing: the rotation did not happen
      }
      return Future.failedFuture(e);
    });
  }

  private Future<Integer> print(Future<?> result) {
    return result.map(value -> {
      out.println(value instanceof JsonArray array ? new JsonObject().put("items", array).encodePrettily()
          : ((JsonObject) value).encodePrettily());
      return OK;
    });
  }

  /** Without echo from a terminal (twice for a new password), else the first line of stdin. */
  static String fromTerminalOrStdin(String prompt, boolean confirm) throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("%s: ", prompt);
      if (first == null) {
        return null;
      }
      if (confirm) {
        char[] again = console.readPassword("again: ");
        if (again == null || !Arrays.equals(first, again)) {
          throw new IOException("the two entries differ");
        }
      }
      return new String(first);
    }
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    return stdin.readLine();
  }

  /** One parsed command line. */
  record Command(String group, String action, List<String> args, Map<String, String> options) {

    private static final Map<String, List<String>> ACTIONS = Map.of(
        "users", List.of("list", "create", "disable", "enable", "reset-password", "delete"),
        "accounts", List.of("link", "rotate", "test", "unlink"),
        "rollout", List.of("show", "set", "on", "off", "allow", "deny", "clear"),
        "keys", List.of("rotate"),
        "audit", List.of("list"));
    private static final List<String> FLAGS = List.of("no-test");

    /** Null for help. */
    static Command parse(String[] argv) {
      if (argv.length == 0 || argv[0].equals("help") || argv[0].equals("--help") || argv[0].equals("-h")) {
        return null;
      }
      String group = argv[0];
      if (!ACTIONS.containsKey(group)) {
        throw new IllegalArgumentException("unknown command " + group);
      }
      int i = 1;
      String action;
      if (group.equals("audit") && (argv.length == 1 || argv[1].startsWith("--"))) {
        action = "list";
      } else if (argv.length < 2 || !ACTIONS.get(group).contains(argv[1])) {
        throw new IllegalArgumentException(group + " needs one of " + ACTIONS.get(group));
      } else {
        action = argv[1];
        i = 2;
      }
      List<String> args = new ArrayList<>();
      Map<String, String> options = new HashMap<>();
      for (; i < argv.length; i++) {
        String a = argv[i];
        if (a.startsWith("--")) {
          String name = a.substring(2);
          if (name.equals("password") || name.equals("secret")) {
            throw new IllegalArgumentException("--" + name + " is not taken: a secret on the command line ends up in "
                + "the shell history and the process list; type it when asked, or pipe it on stdin");
          }
          if (FLAGS.contains(name)) {
            options.put(name, "true");
          } else if (i + 1 < argv.length) {
            options.put(name, argv[++i]);
          } else {
            throw new IllegalArgumentException(a + " needs a value");
          }
        } else {
          args.add(a);
        }
      }
      Command command = new Command(group, action, List.copyOf(args), Map.copyOf(options));
      command.check();
      return command;
    }

    private void check() {
      int wanted = switch (action) {
        case "list", "show", "on", "off" -> 0;
        case "rotate" -> group.equals("keys") ? 0 : 1;
        default -> 1;
      };
      if (args.size() != wanted) {
        throw new IllegalArgumentException(group + " " + action + " takes " + (wanted == 0 ? "no" : "one")
            + (group.equals("rollout") && action.equals("set") ? " percentage" : wanted == 0 ? " argument" : " username"));
      }
      List<String> allowed = switch (group + " " + action) {
        case "users create" -> List.of("role");
        case "accounts link" -> List.of("environment", "key-id", "no-test");
        case "accounts rotate" -> List.of("no-test");
        case "keys rotate" -> List.of("new-key-file");
        case "audit list" -> List.of("limit");
        default -> List.of();
      };
      for (String name : options.keySet()) {
        if (!allowed.contains(name)) {
          throw new IllegalArgumentException(group + " " + action + " takes no --" + name);
        }
      }
      if (group.equals("users") && action.equals("create") && !options.containsKey("role")) {
        throw new IllegalArgumentException("users create needs --role trader or --role admin");
      }
      if (group.equals("accounts") && action.equals("link")
          && !(options.containsKey("environment") && options.containsKey("key-id"))) {
        throw new IllegalArgumentException("accounts link needs --environment and --key-id");
      }
      if (group.equals("rollout") && action.equals("set")) {
        percentage();
      }
      if (group.equals("audit")) {
        limit();
      }
    }

    String arg(int index) {
      return args.get(index);
    }

    String option(String name) {
      return options.get(name);
    }

    boolean flag(String name) {
      return options.containsKey(name);
    }

    int percentage() {
      try {
        int value = Integer.parseInt(args.get(0));
        if (value < 0 || value > 100) {
          throw new NumberFormatException();
        }
        return value;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("rollout set takes a whole percentage from 0 to 100");
      }
    }

    int limit() {
      try {
        int value = Integer.parseInt(options.getOrDefault("limit", "50"));
        if (value < 1 || value > 500) {
          throw new NumberFormatException();
        }
        return value;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--limit is a whole number from 1 to 500");
      }
    }

    boolean needsSecret() {
      return (group.equals("users") && (action.equals("create") || action.equals("reset-password")))
          || (group.equals("accounts") && (action.equals("link") || action.equals("rotate")));
    }

    boolean confirmSecret() {
      return group.equals("users");
    }

    String secretName() {
      return group.equals("users") ? "password" : "broker API secret";
    }

    String secretPrompt() {
      return group.equals("users") ? "password for " + args.get(0) : "broker API secret for " + args.get(0);
    }
  }
}
