/* litdigest: the language switch and the theme switch. Both choices are applied before first
   paint by the inline script in <head>; this file wires the buttons, remembers the choices, and
   keeps tabs in step. The theme follows the system until the reader presses the switch. It also
   turns on the theme's typeface once a page has loaded (useFonts). */
(function () {
  "use strict";
  var KEY = "litdigest.lang";
  var THEME_KEY = "litdigest.theme";
  var FONTS_KEY = "litdigest.fonts";
  // the face's @font-face rules, beside this file in static/
  var FONT_RULES = document.currentScript && document.currentScript.src.replace(/[^/]*$/, "fonts.css");
  var CHOICES = ["ko", "en", "both"];
  var root = document.documentElement;
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");

  function theme() {
    var chosen = root.getAttribute("data-theme");
    return chosen === "dark" || chosen === "light" ? chosen : (systemDark.matches ? "dark" : "light");
  }

  function syncTheme() {
    var dark = String(theme() === "dark");
    document.querySelectorAll("[data-toggle-theme]").forEach(function (button) {
      button.setAttribute("aria-pressed", dark);
    });
  }

  function chooseTheme(chosen) {
    root.setAttribute("data-theme", chosen);
    syncTheme();
  }

  function siteLang() {
    var lang = root.getAttribute("data-lang");
    return CHOICES.indexOf(lang) >= 0 ? lang : "both";
  }

  function remember(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* private mode: this page only */ }
  }

  function syncButtons() {
    var site = siteLang();
    document.querySelectorAll("[data-set-lang]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-set-lang") === site));
    });
    document.querySelectorAll("[data-paper-other]").forEach(function (button) {
      var paper = button.closest(".paper");
      button.setAttribute("aria-pressed", String(paper.getAttribute("data-lang") === "both"));
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
    if (button.hasAttribute("data-toggle-theme")) {
      var chosen = theme() === "dark" ? "light" : "dark";
      chooseTheme(chosen);
      remember(THEME_KEY, chosen);
      return;
    }
    var site = button.getAttribute("data-set-lang");
    if (site) {
      chooseSiteLang(site);
      remember(KEY, site);
      return;
    }
    var paper = button.hasAttribute("data-paper-other") && button.closest(".paper");
    if (paper) {  // this paper's other language too, or back to the page's choice
      if (paper.getAttribute("data-lang") === "both") paper.removeAttribute("data-lang");
      else paper.setAttribute("data-lang", "both");
      syncButtons();
    }
  });

  window.addEventListener("storage", function (event) {
    if (event.key === KEY && CHOICES.indexOf(event.newValue) >= 0) chooseSiteLang(event.newValue);
    if (event.key === THEME_KEY && (event.newValue === "dark" || event.newValue === "light")) {
      chooseTheme(event.newValue);
    }
  });
  systemDark.addEventListener("change", syncTheme);

  /* The theme's face (style.css) is fetched a second after a first page has loaded, without
     drawing that page again (a first view never waits for fonts, nor is laid out twice): only
     the slices its text needs. Once they are in, later pages start in it (the head's script
     adds `fonts`). */
  function fetchFonts() {
    if (root.classList.contains("fonts") || !document.fonts || !FONT_RULES) return;
    var rules = document.createElement("link");
    rules.rel = "stylesheet";
    rules.href = FONT_RULES;
    rules.onload = function () {
      document.fonts.load('1em "Pretendard Variable"', document.body.textContent).then(function (faces) {
        if (faces.length) remember(FONTS_KEY, "1");
      }, function () { /* not fetched (offline, the page left): the system's faces stay */ });
    };
    document.head.appendChild(rules);
  }
  function fetchFontsSoon() { setTimeout(fetchFonts, 1000); }  // after the page's last paints
  if (document.readyState === "complete") fetchFontsSoon();
  else window.addEventListener("load", fetchFontsSoon);

  // `litdigest serve` adds livereload's script to every page it serves: the author's preview
  if (document.querySelector('script[src*="/livereload.js"]')) root.classList.add("preview");

  syncButtons();
  syncTheme();
})();
