// Xem thẻ: turn the card to landscape, full screen, for the clerk at the counter, and back.
// Without this script the card still turns when the phone does (CSS orientation query).
(function () {
  "use strict";

  function setUp() {
    var stage = document.getElementById("card-stage");
    var button = stage && stage.querySelector(".card-rotate");
    if (!button || button.dataset.ready) return;
    button.dataset.ready = "1";

    function turn(rotated) {
      stage.classList.toggle("is-rotated", rotated);
      document.documentElement.classList.toggle("card-rotated", rotated);
      button.setAttribute("aria-pressed", rotated ? "true" : "false");
      button.textContent = rotated ? button.dataset.labelBack : button.dataset.labelRotate;
    }

    button.hidden = false;
    button.addEventListener("click", function () {
      turn(!stage.classList.contains("is-rotated"));
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && stage.classList.contains("is-rotated")) {
        turn(false);
        button.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
  document.addEventListener("htmx:load", setUp);
})();
