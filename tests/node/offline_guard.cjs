// Preload (node --require / NODE_OPTIONS=--require) that keeps a Node process on loopback.
// - dns.lookup / dns.promises.lookup: any hostname other than localhost fails at once (ENOTFOUND)
// - net.Socket#connect to a non-loopback IP literal fails at once (ECONNREFUSED)
// Every blocked attempt is appended to $CN_GUARD_LOG (if set) as JSON lines.
"use strict";
const dns = require("dns");
const net = require("net");
const fs = require("fs");

const LOG = process.env.CN_GUARD_LOG;
function record(kind, target) {
  if (!LOG) return;
  try {
    fs.appendFileSync(LOG, JSON.stringify({ ts: Date.now(), pid: process.pid, kind, target, stack: process.env.CN_GUARD_STACK ? new Error().stack.split("\n").slice(2, 12).join(" | ") : undefined }) + "\n");
  } catch {}
}
const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);
function isLoopbackHost(h) {
  if (!h) return true; // net default host = localhost
  h = String(h).toLowerCase();
  return LOOPBACK_NAMES.has(h) || /^127\./.test(h) || h === "::ffff:127.0.0.1";
}
function notFound(host) {
  const e = new Error(`getaddrinfo ENOTFOUND ${host} (blocked by offline_guard)`);
  e.code = "ENOTFOUND";
  e.errno = -3008;
  e.syscall = "getaddrinfo";
  e.hostname = host;
  return e;
}

const origLookup = dns.lookup;
dns.lookup = function (host, opts, cb) {
  if (typeof opts === "function") { cb = opts; opts = {}; }
  if (!isLoopbackHost(host)) {
    record("dns", host);
    process.nextTick(cb, notFound(host));
    return {};
  }
  return origLookup.call(dns, host, opts, cb);
};
const origPLookup = dns.promises.lookup;
dns.promises.lookup = async function (host, opts) {
  if (!isLoopbackHost(host)) {
    record("dns", host);
    throw notFound(host);
  }
  return origPLookup.call(dns.promises, host, opts);
};

const origConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  let o = args[0];
  if (Array.isArray(o)) o = o[0];
  let host, port;
  if (o && typeof o === "object") { host = o.host; port = o.port; if (o.path) return origConnect.apply(this, args); }
  else { port = o; host = typeof args[1] === "string" ? args[1] : undefined; }
  if (net.isIP(host || "") && !isLoopbackHost(host)) {
    record("connect", `${host}:${port}`);
    const err = new Error(`connect ECONNREFUSED ${host}:${port} (blocked by offline_guard)`);
    err.code = "ECONNREFUSED";
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return origConnect.apply(this, args);
};
