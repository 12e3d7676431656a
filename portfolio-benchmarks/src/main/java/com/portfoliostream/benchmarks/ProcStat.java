package com.portfoliostream.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux's /proc says of one process: CPU time used, resident memory. */
final class ProcStat {

  /** USER_HZ: the unit of /proc/<pid>/stat's times, 100 on every Linux we run on. */
  private static final int CLOCK_TICKS_PER_SECOND = 100;

  private final long pid;

  ProcStat(long pid) {
    this.pid = pid;
  }

  static ProcStat self() {
    return new ProcStat(ProcessHandle.current().pid());
  }

  /** CPU time (user + system, every thread) used so far, in milliseconds. */
  long cpuMillis() throws IOException {
    String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ", 2)[1].split(" ");
    long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
    return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
  }

  /** Resident set size now (VmRSS), in bytes. */
  long rssBytes() throws IOException {
    return statusField("VmRSS:") * 1024;
  }

  /** Threads of the process now (the kernel's count: the JVM's own threads as well as Java's). */
  long threads() throws IOException {
    return statusField("Threads:");
  }

  /** File descriptors the process holds open now (sockets, files, pipes, epoll): the entries of /proc/<pid>/fd. */
  long openFiles() throws IOException {
    try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return fds.count();
    }
  }

  private long statusField(String name) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no " + name + " for process " + pid);
  }

  /** This process's soft limit of open files. */
  static long openFilesLimit() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
      if (line.startsWith("Max open files")) {
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
      }
    }
    return Long.MAX_VALUE;
  }
}
