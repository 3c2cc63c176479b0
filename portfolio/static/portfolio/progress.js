// Poll a report request's progress and show the download link when it is done. Without
// JavaScript the page has a refresh link instead; a <meta refresh> would reload under the reader.
(function () {
  var me = document.currentScript;
  var box = document.getElementById("report-progress");
  if (!box) return;
  var words = { done: me.dataset.done, failed: me.dataset.failed, running: me.dataset.running };
  function poll() {
    fetch(box.dataset.poll, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        document.getElementById("report-bar").value = data.progress;
        var state = document.querySelector("#report-state strong");
        if (data.state === "done") {
          state.textContent = words.done;
          var link = document.getElementById("report-download-link");
          link.href = data.download;
          document.getElementById("report-download").hidden = false;
        } else if (data.state === "failed") {
          window.location.reload();  // the page shows why
        } else {
          state.textContent = words.running;
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
