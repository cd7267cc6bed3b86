/* Public lookups and the virtual assistant: show the server's 400/429 answers where htmx would
   otherwise drop them, and keep the conversation flowing (empty box, focus, last message shown). */
(() => {
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    const target = event.detail.target;
    const source = event.detail.requestConfig && event.detail.requestConfig.elt;
    const inWidget = (el) => el && el.closest && el.closest("[data-swap-errors], #lookup-results, #chat-log");
    if ((status === 400 || status === 429) && (inWidget(target) || inWidget(source))) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (!form || form.id !== "chat-form" || !event.detail.successful) return;
    form.reset();
    // answered: what was said about an earlier, unusable question no longer applies
    for (const stale of form.querySelectorAll(".error-summary, .error-message")) stale.remove();
    for (const field of form.querySelectorAll(".field-error")) field.classList.remove("field-error");
    const box = form.querySelector("input[name=question]");
    if (box) {
      box.removeAttribute("aria-invalid");
      box.removeAttribute("aria-describedby");
      box.focus();
    }
  });

  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target && event.detail.target.id === "chat-log") {
      const last = event.detail.target.lastElementChild;
      if (last) last.scrollIntoView({ block: "nearest" });
    }
  });
})();

/* FAQ: an address that names an entry (#faq-12, from the assistant's sources) opens it. */
(() => {
  const openTarget = () => {
    const id = decodeURIComponent(window.location.hash.slice(1));
    const entry = id && document.getElementById(id);
    if (entry && entry.tagName === "DETAILS") entry.open = true;
  };
  openTarget();
  window.addEventListener("hashchange", openTarget);
})();
