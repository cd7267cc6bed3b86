/* Back-office: open a dossier from the queue by double-click or right-click on its row (the
   number is also an ordinary link, for keyboards and phones); let the search show its errors;
   keep empty search fields out of the URL. No inline script: the CSP allows only this file. */
(() => {
  const body = document.body;
  const rowOf = (event) => event.target.closest && event.target.closest("tr[data-href]");
  const open = (row) => window.location.assign(row.dataset.href);

  document.addEventListener("dblclick", (event) => {
    const row = rowOf(event);
    if (!row) return;
    event.preventDefault();
    open(row);
  });

  document.addEventListener("contextmenu", (event) => {
    const row = rowOf(event);
    // On the link itself the browser's own menu stays (open in a new tab, copy the link).
    if (!row || event.target.closest("a")) return;
    event.preventDefault();
    open(row);
  });

  // A search with a mistake answers 400 with the search panel and its messages: show it.
  body.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.id === "queue") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // "Tra cứu": only the fields filled in go into the pushed URL.
  body.addEventListener("htmx:configRequest", (event) => {
    const elt = event.detail.elt;
    if (event.detail.verb !== "get" || !elt.matches || !elt.matches("form.search-form")) return;
    const parameters = event.detail.parameters;
    const names = parameters instanceof FormData ? [...parameters.keys()] : Object.keys(parameters);
    for (const name of names) {
      const value = parameters instanceof FormData ? parameters.get(name) : parameters[name];
      if (value === "" || value === null) {
        if (parameters instanceof FormData) parameters.delete(name);
        else delete parameters[name];
      }
    }
  });
})();
