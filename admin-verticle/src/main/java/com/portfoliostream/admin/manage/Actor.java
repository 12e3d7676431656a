package com.portfoliostream.admin.manage;

/** Who makes an administrative change: an admin through the API (name, client address) or the CLI (OS user, "cli"). */
public record Actor(String name, String address) {}
