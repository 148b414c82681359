/* "Kopiér" buttons: copy the text of the element named by data-copy-target.
 * Progressive enhancement: without JavaScript the buttons stay hidden and the
 * text stays selectable in its read-only textarea.  Loaded from /static, so the
 * Content-Security-Policy needs no inline script. */
(function () {
  "use strict";

  function fallbackCopy(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!field) return;
    var text = field.value !== undefined ? field.value : field.textContent;
    function done(ok) {
      if (status) status.textContent = ok ? "Kopieret" : "Kunne ikke kopiere – markér teksten og kopiér selv";
      button.classList.toggle("copied", ok);
      window.setTimeout(function () {
        if (status) status.textContent = "";
        button.classList.remove("copied");
      }, 4000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { done(true); },
        function () { done(fallbackCopy(field)); }
      );
    } else {
      done(fallbackCopy(field));
    }
  }

  var buttons = document.querySelectorAll("[data-copy-target]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function (event) { copy(event.currentTarget); });
  }
})();
