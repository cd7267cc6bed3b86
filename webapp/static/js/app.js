/* VssID: register the service worker, offer installation, and keep HTMX usable offline. */
(() => {
  const body = document.body;

  if ("serviceWorker" in navigator) {
    // Offline (or on a dropped connection) the browser cannot fetch /sw.js to look for an
    // update and the promise fails: the worker already installed keeps serving, so that is
    // not an error to report on every page.
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    if ("signedOut" in body.dataset) {
      navigator.serviceWorker.ready.then((registration) => {
        if (registration.active) registration.active.postMessage({ type: "signed-out" });
      });
    }
  }

  const installButton = document.getElementById("install-app");
  const iosHelp = document.getElementById("install-ios");
  let installPrompt = null;
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    installPrompt = event;
    if (installButton) installButton.hidden = false;
  });
  if (installButton) {
    installButton.addEventListener("click", async () => {
      if (!installPrompt) return;
      installButton.hidden = true;
      await installPrompt.prompt();
      installPrompt = null;
    });
  }
  window.addEventListener("appinstalled", () => {
    if (installButton) installButton.hidden = true;
  });
  const standalone = window.matchMedia("(display-mode: standalone)").matches || navigator.standalone;
  if (iosHelp && !standalone && /iphone|ipad|ipod/i.test(navigator.userAgent)) iosHelp.hidden = false;

  /* A submit with mistakes: the error summary takes the focus (GOV.UK's pattern), so that a
     screen reader reads it at once and the keyboard continues from it to each field's link.
     On a page that arrives with one, as it loads; after an HTMX swap, when a submit brought
     it (never while a field checks itself as the person fills the form). A summary is
     focused once: marked, it is not taken again by a later swap elsewhere on the page. */
  const announceErrors = (focus) => {
    const fresh = document.querySelectorAll(".error-summary:not([data-announced])");
    for (const summary of fresh) summary.dataset.announced = "";
    if (focus && fresh.length) fresh[0].focus();
  };
  announceErrors(true);
  body.addEventListener("htmx:afterSettle", (event) => {
    const config = event.detail.requestConfig;
    const cause = config && config.triggeringEvent;
    announceErrors(Boolean(cause && cause.type === "submit"));
  });
  // A summary's link puts the focus in its field and shows the field's label above it.
  body.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    (field.closest(".field") || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });

  /* The language menu (a details element, which works without this script) closes as menus do:
     on Escape, giving the focus back to its button, and on a tap elsewhere. */
  const languageMenu = document.querySelector(".lang-menu");
  if (languageMenu) {
    languageMenu.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !languageMenu.open) return;
      languageMenu.open = false;
      languageMenu.querySelector("summary").focus();
    });
    document.addEventListener("click", (event) => {
      if (languageMenu.open && !languageMenu.contains(event.target)) languageMenu.open = false;
    });
  }

  /* Offline, an HTMX swap cannot reach the server: load the page itself instead, which the
     service worker answers with the copy it kept (or the offline page). */
  const fullLoad = (event) => {
    const path = event.detail.pathInfo && event.detail.pathInfo.requestPath;
    if (path && event.detail.requestConfig && event.detail.requestConfig.verb === "get") {
      window.location.assign(path);
    }
  };
  body.addEventListener("htmx:sendError", fullLoad);
  body.addEventListener("htmx:responseError", (event) => {
    if (event.detail.xhr && event.detail.xhr.status === 503) fullLoad(event);
  });
})();
