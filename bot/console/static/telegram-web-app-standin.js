// A stand-in for Telegram's telegram-web-app.js, for the sandbox and the tests only: like
// Telegram's own script it reads the launch data (tgWebAppData) from the page's address and
// offers it as window.Telegram.WebApp.initData. The data was signed by whoever opened the
// page (the sandbox signs it for the persona chosen), exactly as Telegram signs it.
(function () {
  "use strict";
  var params = new URLSearchParams((window.location.hash || "").replace(/^#/, ""));
  var initData = params.get("tgWebAppData") || "";
  var user = {};
  try { user = JSON.parse(new URLSearchParams(initData).get("user") || "{}"); } catch (e) { user = {}; }
  window.Telegram = { WebApp: {
    initData: initData,
    initDataUnsafe: { user: user },
    platform: "sandbox",
    colorScheme: "light",
    themeParams: {},
    ready: function () {},
    expand: function () {},
    close: function () { window.history.back(); },
    BackButton: { show: function () {}, hide: function () {}, onClick: function () {} },
  } };
})();
