/* The office overview refreshes its own numbers: every 30 seconds while the page is shown, it
   asks /office/live (one small persisted query, answered as JSON) and writes the numbers into the
   elements marked data-live, so new reports and clocks running out appear without a reload.
   Without JavaScript the page shows the time of its numbers and a refresh link instead. */
(function () {
  "use strict";
  var bar = document.querySelector("[data-live-url]");
  if (!bar || !window.fetch) return;
  var url = bar.getAttribute("data-live-url");
  var every = 1000 * (parseInt(bar.getAttribute("data-every"), 10) || 30);
  var status = bar.querySelector("[data-live-status]");
  var timer = null;

  function show(numbers, at) {
    var changed = false;
    Array.prototype.forEach.call(document.querySelectorAll("[data-live]"), function (el) {
      var name = el.getAttribute("data-live");
      if (!(name in numbers)) return;
      var text = String(numbers[name]);
      if (el.textContent !== text) {
        el.textContent = text;
        el.classList.add("changed");
        changed = true;
      }
      var some = el.getAttribute("data-when-some");
      if (some) {
        el.classList.toggle(some, numbers[name] > 0);
        el.classList.toggle("ok", numbers[name] === 0);
      }
    });
    status.textContent = "自动更新中，" + at + " 的数字" + (changed ? "（有变化，刷新可看最新列表）" : "") + "。";
  }

  function poll() {
    if (document.hidden) return;
    fetch(url, { credentials: "same-origin", headers: { accept: "application/json" }, redirect: "error" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (body) { show(body.numbers, body.at); })
      .catch(function () {
        // Signed out or the server is away: stop, and leave the manual refresh.
        window.clearInterval(timer);
        status.textContent = "自动更新已停止，请点「刷新」。";
      });
  }

  status.textContent = "自动更新中（每 " + every / 1000 + " 秒）。";
  timer = window.setInterval(poll, every);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
})();
