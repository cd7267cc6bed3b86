/*
 * VssID service worker (served at /sw.js, scope /).
 *
 * - The app shell (CSS, JS, icons, offline page) is precached at install.
 * - The card, "Xem thẻ" and the medical book are personal pages kept for offline use: network
 *   first with a timeout; on failure or slowness the copy kept for the signed-in account is shown,
 *   with the offline banner turned on. Kept copies live in a cache named after an opaque account
 *   tag the server sends (X-Vssid-Account), so one account's pages are never shown to another.
 * - Other pages: network, else the offline page. HTMX (fragment) requests are never answered
 *   with a kept full page: offline they get a 503 the page handles.
 * - Sign-out (or a page from the server saying nobody is signed in) removes every personal cache.
 * - The same pages of a child or of someone who shared them (/ca-nhan/nguoi-than/<person>/…) are
 *   kept too, and forgotten as soon as the server's list of whom this account may still see
 *   (X-Vssid-Shared, on the home screen, the family page and those pages) leaves them out, or
 *   such a page answers "not found": an access that ended leaves nothing behind once online.
 *   Offline, a kept copy is not shown past the end its server named (X-Vssid-Until: the end
 *   of a delegation, a child's 18th birthday).
 */
const VERSION = "__VERSION__";
const SHELL_CACHE = `vssid-shell-${VERSION}`;
const PERSONAL_PREFIX = "vssid-personal-";
const META_CACHE = "vssid-meta";
const ACCOUNT_KEY = "/__vssid/account";
const SHELL_URLS = __SHELL_URLS__;
const OFFLINE_URL = "/offline";
const NETWORK_TIMEOUT_MS = 4000;
const KEPT_PAGES = [
  /^\/ca-nhan\/(nguoi-than\/\d+\/)?the-bhyt$/,
  /^\/ca-nhan\/(nguoi-than\/\d+\/)?the-bhyt\/xem$/,
  /^\/ca-nhan\/(nguoi-than\/\d+\/)?so-kham-chua-benh(\/\d{4})?$/,
];
const SHARED_PAGE = /^\/ca-nhan\/nguoi-than\/(\d+)\//;
const MEDICAL_BOOK = /^\/ca-nhan\/so-kham-chua-benh/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(SHELL_URLS);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith("vssid-shell-") && name !== SHELL_CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "signed-out") {
    event.waitUntil(forgetPersonalData());
  }
});

async function forgetPersonalData() {
  const names = await caches.keys();
  await Promise.all(
    names
      .filter((name) => name.startsWith(PERSONAL_PREFIX) || name === META_CACHE)
      .map((name) => caches.delete(name)),
  );
}

async function currentAccount() {
  const meta = await caches.open(META_CACHE);
  const response = await meta.match(ACCOUNT_KEY);
  return response ? response.text() : null;
}

/* The server names the account a response belongs to; "-" means nobody is signed in. */
async function noteAccount(response) {
  const tag = response.headers.get("X-Vssid-Account");
  if (!tag) return;
  if (tag === "-") {
    await forgetPersonalData();
    return;
  }
  if ((await currentAccount()) !== tag) {
    await forgetPersonalData();
    const meta = await caches.open(META_CACHE);
    await meta.put(ACCOUNT_KEY, new Response(tag));
  }
  await forgetUnshared(tag, response.headers.get("X-Vssid-Shared"));
}

/* Forget the kept pages of every person the account may no longer see. */
async function forgetUnshared(tag, shared) {
  if (shared === null) return;
  const allowed = new Set(shared.split(",").filter(Boolean));
  const cache = await caches.open(PERSONAL_PREFIX + tag);
  const kept = await cache.keys();
  await Promise.all(
    kept
      .filter((request) => {
        const match = SHARED_PAGE.exec(new URL(request.url).pathname);
        return match && !allowed.has(match[1]);
      })
      .map((request) => cache.delete(request)),
  );
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
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
}

async function keptCopy(request) {
  const tag = await currentAccount();
  if (!tag) return null;
  const cache = await caches.open(PERSONAL_PREFIX + tag);
  const response = await cache.match(request.url, { ignoreVary: true });
  if (!response) return null;
  const until = Date.parse(response.headers.get("X-Vssid-Until") || "");
  if (until <= Date.now()) {
    await cache.delete(request.url); /* someone else's page whose access has ended */
    return null;
  }
  const html = (await response.text()).replace("data-offline-banner hidden", "data-offline-banner");
  return new Response(html, { status: 200, headers: response.headers });
}

async function keep(request, response) {
  const tag = response.headers.get("X-Vssid-Account");
  if (!tag || tag === "-" || response.redirected) return;
  const cache = await caches.open(PERSONAL_PREFIX + tag);
  if (response.ok) {
    await cache.put(request.url, response);
  } else if (response.status === 404 || response.status === 403) {
    await cache.delete(request.url); /* no longer this account's to see */
  }
}

/* Opening any year of the medical book also keeps the current year, for the desk tomorrow. */
async function fetchAhead(url) {
  const year = new Date().getFullYear();
  const ahead = new URL(`/ca-nhan/so-kham-chua-benh/${year}`, url).href;
  if (ahead === url) return;
  try {
    const response = await fetch(ahead, { credentials: "same-origin" });
    await keep(new Request(ahead), response);
  } catch (error) {
    /* offline: nothing to fetch ahead */
  }
}

async function personalPage(event) {
  const { request } = event;
  const network = fetch(request);
  try {
    const response = await withTimeout(network, NETWORK_TIMEOUT_MS);
    await noteAccount(response);
    event.waitUntil(keep(request, response.clone()));
    if (MEDICAL_BOOK.test(new URL(request.url).pathname)) event.waitUntil(fetchAhead(request.url));
    return response;
  } catch (error) {
    const kept = await keptCopy(request);
    if (kept) {
      /* Slow rather than down: the fresh page still replaces the kept one for next time. */
      event.waitUntil(network.then((response) => keep(request, response)).catch(() => {}));
      return kept;
    }
    try {
      return await network;
    } catch (networkError) {
      return offlinePage();
    }
  }
}

async function offlinePage() {
  const shell = await caches.open(SHELL_CACHE);
  return (await shell.match(OFFLINE_URL)) || Response.error();
}

async function otherPage(event) {
  try {
    const response = await fetch(event.request);
    event.waitUntil(noteAccount(response.clone()));
    return response;
  } catch (error) {
    return offlinePage();
  }
}

async function fragment(request) {
  try {
    return await fetch(request);
  } catch (error) {
    return new Response("", { status: 503, statusText: "Offline" });
  }
}

async function shellFile(request) {
  const shell = await caches.open(SHELL_CACHE);
  const cached = await shell.match(request);
  return cached || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.headers.get("HX-Request")) {
    event.respondWith(fragment(request));
  } else if (request.mode === "navigate") {
    const kept = KEPT_PAGES.some((pattern) => pattern.test(url.pathname));
    event.respondWith(kept ? personalPage(event) : otherPage(event));
  } else if (SHELL_URLS.includes(url.pathname + url.search)) {
    event.respondWith(shellFile(request));
  }
});

/*
 * Web Push. A push carries {title, url} and nothing else (no name, code, amount or diagnosis):
 * what happened is read on the page, after signing in. Tapping the notification focuses a
 * window of the app already there, or opens one.
 */
const INBOX_URL = "/ca-nhan/thong-bao";

/* Only a page of this site, whatever a push says. */
function pageOfThisSite(value) {
  try {
    const url = new URL(value, self.location.origin);
    if (url.origin === self.location.origin) return url.pathname + url.search;
  } catch (error) {
    /* not a URL: fall back to the inbox */
  }
  return INBOX_URL;
}

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {};
  }
  const title = typeof message.title === "string" && message.title ? message.title : "VssID";
  const url = pageOfThisSite(message.url);
  event.waitUntil(
    self.registration.showNotification(title, {
      icon: "/icons/192.png",
      tag: url /* the same notification sent twice shows once */,
      data: { url },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const target = new URL(pageOfThisSite(data.url), self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const same = windows.find((client) => client.url === target);
      if (same) return same.focus();
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open && "navigate" in open) {
        try {
          const focused = await open.focus();
          return await (focused || open).navigate(target);
        } catch (error) {
          /* a window this worker does not control cannot be steered: open a new one */
        }
      }
      return self.clients.openWindow(target);
    })(),
  );
});
