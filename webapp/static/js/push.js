/* VssID: the "notifications on this phone" switch (Web Push). The panel stays hidden where the
   browser cannot receive pushes; its texts, the VAPID key and the CSRF token come from data-
   attributes, so there is no inline script. */
(() => {
  const panel = document.getElementById("push");
  const button = document.getElementById("push-switch");
  const status = document.getElementById("push-status");
  if (!panel || !button || !status) return;
  if (!("serviceWorker" in navigator && "PushManager" in window && "Notification" in window)) return;

  const { vapidKey, url, csrfToken } = panel.dataset;
  const say = (text) => {
    status.textContent = text || "";
  };
  const show = (on) => button.setAttribute("aria-checked", on ? "true" : "false");

  /* The key as the browser wants it: the bytes of a base64url string. */
  const keyBytes = (base64url) => {
    const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(raw, (char) => char.charCodeAt(0));
  };
  const sameKey = (subscription, key) => {
    const current = subscription.options && subscription.options.applicationServerKey;
    if (!current) return true;
    const bytes = new Uint8Array(current);
    return bytes.length === key.length && bytes.every((byte, i) => byte === key[i]);
  };

  /* A refusal the server explained (in the reader's language), as opposed to a network error. */
  class Refused extends Error {}

  const send = async (method, body) => {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let answer = {};
    try {
      answer = await response.json();
    } catch (error) {
      answer = {};
    }
    if (!response.ok) throw new Refused(answer.error || panel.dataset.msgError);
    return answer;
  };

  const registration = () => navigator.serviceWorker.ready;

  /* With no network a browser may wait for ever for its push service: give up after a while. */
  const SUBSCRIBE_TIMEOUT_MS = 15000;
  const withTimeout = (promise, ms) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timeout")), ms);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });

  async function turnOn() {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      show(false);
      say(panel.dataset.msgDenied);
      return;
    }
    const key = keyBytes(vapidKey);
    const { pushManager } = await registration();
    let subscription = await pushManager.getSubscription();
    if (subscription && !sameKey(subscription, key)) {
      await subscription.unsubscribe(); /* made with an older server key */
      subscription = null;
    }
    if (!subscription) {
      subscription = await withTimeout(
        pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }),
        SUBSCRIBE_TIMEOUT_MS,
      );
    }
    const answer = await send("POST", subscription.toJSON());
    show(true);
    say(answer.message || panel.dataset.msgOn);
  }

  async function turnOff() {
    const { pushManager } = await registration();
    const subscription = await pushManager.getSubscription();
    if (subscription) await subscription.unsubscribe();
    const answer = await send("DELETE");
    show(false);
    say(answer.message || panel.dataset.msgOff);
  }

  let busy = false;
  button.addEventListener("click", async () => {
    if (busy) return;
    busy = true;
    button.setAttribute("aria-busy", "true");
    const wasOn = button.getAttribute("aria-checked") === "true";
    try {
      await (wasOn ? turnOff() : turnOn());
    } catch (error) {
      show(wasOn);
      say(error instanceof Refused ? error.message : panel.dataset.msgError);
    } finally {
      busy = false;
      button.removeAttribute("aria-busy");
    }
  });

  panel.hidden = false;
  if (Notification.permission === "denied") say(panel.dataset.msgDenied);
  /* On only when this browser holds a subscription and the server keeps it for this account. */
  registration()
    .then((reg) => reg.pushManager.getSubscription())
    .then((subscription) => show(Boolean(subscription) && panel.dataset.subscribed === "true"))
    .catch(() => show(false));
})();
