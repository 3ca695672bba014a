/* Forms marked data-draft keep what was typed in this device's storage until the server
   confirms the save (a message carrying data-clear-draft), so a form that fails to send
   on a weak network is not lost. Multi-selects and groups of checkboxes keep every
   choice. */
(function () {
  "use strict";
  var prefix = "gugus-draft:";
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "hidden" && el.type !== "submit";
    });
  }
  function chosen(select) {
    return Array.prototype.filter.call(select.options, function (o) { return o.selected; })
      .map(function (o) { return o.value; });
  }
  function save(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox") {
        data[el.name] = data[el.name] || [];
        if (el.checked) { data[el.name].push(el.value); }
      } else if (el.type === "radio") {
        if (el.checked) { data[el.name] = el.value; }
      } else if (el.type === "select-multiple") {
        data[el.name] = chosen(el);
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
      var value = data[el.name];
      if (el.type === "checkbox") {
        el.checked = Array.isArray(value) ? value.indexOf(el.value) !== -1 : value === el.value;
      } else if (el.type === "radio") { el.checked = value === el.value; }
      else if (el.type === "select-multiple") {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = Array.isArray(value) && value.indexOf(o.value) !== -1;
        });
      } else { el.value = value; }
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
