/* The upload page: send the chosen files one at a time and show each result as it
 * arrives, with a progress bar while a file is on its way.  Progressive enhancement:
 * without JavaScript the form posts all files at once and the page shows the same
 * results (the server renders one fragment for both).  Loaded from /static: the
 * Content-Security-Policy needs no inline script. */
(function () {
  "use strict";

  var form = document.getElementById("upload-form");
  var list = document.getElementById("upload-results");
  if (!form || !list || !window.FormData || !window.XMLHttpRequest) return;
  var input = form.querySelector("input[type=file]");
  var button = form.querySelector("button[type=submit]");
  var summary = form.querySelector(".upload-summary");
  var heading = document.getElementById("resultat");
  var token = form.querySelector("input[name=csrf_token]").value;

  function pending(file) {
    var li = document.createElement("li");
    li.className = "upload-file pending";
    var p = document.createElement("p");
    p.className = "upload-name";
    var name = document.createElement("strong");
    name.textContent = file.name;
    var status = document.createElement("span");
    status.className = "upload-status";
    status.textContent = "Venter";
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Sendt af " + file.name);
    p.appendChild(name);
    p.appendChild(document.createTextNode(" "));
    p.appendChild(status);
    li.appendChild(p);
    li.appendChild(bar);
    list.appendChild(li);
    return { li: li, status: status, bar: bar };
  }

  function failed(row, text) {
    row.li.className = "upload-file bad";
    row.status.textContent = text;
    row.bar.remove();
  }

  function send(file, row) {
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append("csrf_token", token);
      data.append("fragment", "1");
      data.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRFToken", token);
      row.status.textContent = "Sender …";
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) row.bar.value = Math.round(100 * event.loaded / event.total);
      };
      xhr.upload.onload = function () { row.status.textContent = "Indlæser …"; };
      xhr.onload = function () {
        if (xhr.status === 200 && xhr.getResponseHeader("X-Arkiv-Upload") === "1") {
          var template = document.createElement("template");
          template.innerHTML = xhr.responseText.trim();
          var result = template.content.firstElementChild;
          row.li.replaceWith(result);
          resolve(result.classList.contains("bad") ? "bad" : (result.classList.contains("warn") ? "warn" : "ok"));
        } else if (xhr.status === 413) {
          failed(row, "For stor til at blive sendt");
          resolve("bad");
        } else if (xhr.status === 200) {
          failed(row, "Du er ikke længere logget ind. Genindlæs siden, og log ind igen.");
          resolve("bad");
        } else {
          failed(row, "Fejl " + xhr.status + " fra serveren");
          resolve("bad");
        }
      };
      xhr.onerror = function () {
        failed(row, "Forbindelsen til serveren blev afbrudt");
        resolve("bad");
      };
      xhr.send(data);
    });
  }

  // Files dropped anywhere on the drop zone, not only on the input itself.
  var zone = form.querySelector(".drop-zone");
  if (zone) {
    zone.addEventListener("dragover", function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
      if (event.dataTransfer && event.dataTransfer.files.length) input.files = event.dataTransfer.files;
    });
  }

  form.addEventListener("submit", function (event) {
    var files = Array.prototype.slice.call(input.files);
    if (!files.length) return;
    event.preventDefault();
    button.disabled = true;
    heading.hidden = false;
    var rows = files.map(pending);
    var counts = { ok: 0, warn: 0, bad: 0 };
    var i = 0;
    function next() {
      summary.textContent = "Indlæser " + (i + 1 < files.length ? i + 1 : files.length) + " af " + files.length + " …";
      if (i >= files.length) {
        summary.textContent = files.length + (files.length === 1 ? " fil" : " filer") + " behandlet: " +
          counts.ok + " uden bemærkninger, " + counts.warn + " med advarsler, " + counts.bad + " ikke indlæst.";
        button.disabled = false;
        form.reset();
        return;
      }
      var k = i;
      i += 1;
      send(files[k], rows[k]).then(function (outcome) {
        counts[outcome] += 1;
        next();
      });
    }
    next();
  });
})();
