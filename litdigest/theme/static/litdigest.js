/* litdigest: the language switch. The choice is applied before first paint by the inline
   script in <head>; this file wires the buttons, remembers the choice, and keeps tabs in step. */
(function () {
  "use strict";
  var KEY = "litdigest.lang";
  var CHOICES = ["ko", "en", "both"];
  var root = document.documentElement;

  function siteLang() {
    var lang = root.getAttribute("data-lang");
    return CHOICES.indexOf(lang) >= 0 ? lang : "both";
  }

  function remember(lang) {
    try { localStorage.setItem(KEY, lang); } catch (e) { /* private mode: this page only */ }
  }

  function syncButtons() {
    var site = siteLang();
    document.querySelectorAll("[data-set-lang]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-set-lang") === site));
    });
    document.querySelectorAll(".paper").forEach(function (paper) {
      var own = paper.getAttribute("data-lang") || site;
      paper.querySelectorAll("[data-paper-lang]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-paper-lang") === own));
      });
    });
  }

  function chooseSiteLang(lang) {
    root.setAttribute("data-lang", lang);
    document.querySelectorAll(".paper[data-lang]").forEach(function (paper) {
      paper.removeAttribute("data-lang");
    });
    syncButtons();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var site = button.getAttribute("data-set-lang");
    if (site) {
      chooseSiteLang(site);
      remember(site);
      return;
    }
    var own = button.getAttribute("data-paper-lang");
    var paper = own && button.closest(".paper");
    if (paper) {
      paper.setAttribute("data-lang", own);
      syncButtons();
    }
  });

  window.addEventListener("storage", function (event) {
    if (event.key === KEY && CHOICES.indexOf(event.newValue) >= 0) chooseSiteLang(event.newValue);
  });

  syncButtons();
})();
