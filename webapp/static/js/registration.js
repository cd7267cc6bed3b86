/* Form 01: the print button (printing needs a script; without one, the browser's own Print
   works the same, and the button stays hidden). */
(() => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
})();
