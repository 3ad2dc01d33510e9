/**
 * The outbox: proposals wait on this device until the server has confirmed them.
 *
 * A workshop network drops often. Each proposal carries its client_uuid from the start, so
 * sending it again after a failure can never store it twice. "Saved" is only said once the
 * server answered 2xx; a refusal (4xx) comes back with its reasons; anything else (no network,
 * server error) keeps the proposal and retries, also after a page reload.
 */
import { sendJson } from "./http.js";

const STORAGE_KEY = "carte-commune:outbox";
const RETRY_DELAYS_MS = [1000, 2000, 5000, 10000, 20000, 30000];

function load() {
  try {
    return JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "[]");
  } catch {
    return [];
  }
}

function save(items) {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(items));
  } catch {
    // Storage full or disabled: the proposal stays in memory for this page's life.
  }
}

export class Outbox {
  constructor(url) {
    this.url = url;
    this.items = load();
    this.waiters = new Map();
    this.listeners = new Set();
    this.attempt = 0;
    this.timer = null;
    this.flushing = false;
    window.addEventListener("online", () => this.flush());
    if (this.items.length) this.flush();
  }

  onChange(listener) {
    this.listeners.add(listener);
    listener(this.items.length);
  }

  notify() {
    for (const listener of this.listeners) listener(this.items.length);
  }

  /**
   * Queue a proposal and try to send it. Resolves with {status: "saved", contribution} or
   * {status: "rejected", errors, httpStatus}; calls onWaiting() if it has to wait for the
   * network (the promise then resolves later, when it finally goes through).
   */
  send(payload, { onWaiting } = {}) {
    this.items.push({ payload, queuedAt: Date.now() });
    save(this.items);
    this.notify();
    return new Promise((resolve) => {
      this.waiters.set(payload.client_uuid, { resolve, onWaiting });
      this.flush();
    });
  }

  async flush() {
    if (this.flushing) return;
    this.flushing = true;
    clearTimeout(this.timer);
    try {
      while (this.items.length) {
        const item = this.items[0];
        const outcome = await this.deliver(item.payload);
        if (outcome.status === "waiting") {
          const waiter = this.waiters.get(item.payload.client_uuid);
          if (waiter && waiter.onWaiting) waiter.onWaiting();
          this.scheduleRetry();
          return;
        }
        this.items.shift();
        save(this.items);
        this.notify();
        this.attempt = 0;
        const waiter = this.waiters.get(item.payload.client_uuid);
        if (waiter) {
          this.waiters.delete(item.payload.client_uuid);
          waiter.resolve(outcome);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  scheduleRetry() {
    const delay = RETRY_DELAYS_MS[Math.min(this.attempt, RETRY_DELAYS_MS.length - 1)];
    this.attempt += 1;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), delay);
  }

  async deliver(payload) {
    let response;
    try {
      response = await sendJson(this.url, "POST", payload);
    } catch {
      return { status: "waiting" };
    }
    if (response.ok) {
      return { status: "saved", contribution: await response.json() };
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      let body = {};
      try {
        body = await response.json();
      } catch {
        body = {};
      }
      return { status: "rejected", httpStatus: response.status, errors: body.errors || { detail: [body.detail || ""] } };
    }
    return { status: "waiting" };
  }
}
