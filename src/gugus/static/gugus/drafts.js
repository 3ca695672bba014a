/* Forms marked data-draft keep what was typed in this device's storage until the server
   confirms the save, so a form that fails to send on a weak network is not lost. */
(function () {
  "use strict";
  var prefix = "gugus-draft:";
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "hidden" && el.type !== "submit";
    });
  }
  function save(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { data[el.name] = el.value; }
      } else { data[el.name] = el.value; }
    });
    try { localStorage.setItem(prefix + form.dataset.draft, JSON.stringify(data)); } catch (e) {}
  }
  function restore(form) {
    var raw = null;
    try { raw = localStorage.getItem(prefix + form.dataset.draft); } catch (e) {}
    if (!raw) { return; }
    var data = JSON.parse(raw);
    fields(form).forEach(function (el) {
      if (!(el.name in data)) { return; }
      if (el.type === "radio" || el.type === "checkbox") { el.checked = data[el.name] === el.value; }
      else { el.value = data[el.name]; }
    });
    var note = form.querySelector("[data-draft-note]");
    if (note) { note.hidden = false; }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
      try { localStorage.removeItem(prefix + el.dataset.clearDraft); } catch (e) {}
    });
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      restore(form);
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
    });
  });
})();
