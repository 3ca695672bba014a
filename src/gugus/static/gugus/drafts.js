/* Forms marked data-draft keep what was typed in this device's storage until the server
   confirms the save (a message carrying data-clear-draft), so a form that fails to send
   on a weak network is not lost. Multi-selects and groups of checkboxes keep every
   choice; hidden inputs marked data-draft-keep (the version the typing started from)
   are kept too, so a draft sent later still meets the conflict check.
   A form also marked data-draft-send is held while the device is offline and sent as
   soon as the network returns (also after a reload); its [data-draft-status] element
   says where the typing is: on this device, waiting for the network, or being sent. The
   mark "waiting to be sent" stays until the server confirms, so a send cut short is sent
   again; a page the server answered with a refusal or a conflict carries
   data-draft-hold, which leaves the decision to the user. */
(function () {
  "use strict";
  var prefix = "gugus-draft:";
  var pending = "gugus-pending:";
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit") { return false; }
      return el.type !== "hidden" || el.hasAttribute("data-draft-keep");
    });
  }
  function chosen(select) {
    return Array.prototype.filter.call(select.options, function (o) { return o.selected; })
      .map(function (o) { return o.value; });
  }
  function store(key, value) {
    try {
      if (value === null) { localStorage.removeItem(key); } else { localStorage.setItem(key, value); }
    } catch (e) {}
  }
  function read(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function status(form, which) {
    var el = form.querySelector("[data-draft-status]");
    if (el && el.dataset[which]) { el.textContent = el.dataset[which]; el.dataset.state = which; }
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
    store(prefix + form.dataset.draft, JSON.stringify(data));
    status(form, "device");
  }
  function restore(form) {
    var raw = read(prefix + form.dataset.draft);
    if (!raw) { return false; }
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
    status(form, "device");
    return true;
  }
  function send(form) {
    status(form, "sending");
    HTMLFormElement.prototype.submit.call(form);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
      store(prefix + el.dataset.clearDraft, null);
      store(pending + el.dataset.clearDraft, null);
    });
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      restore(form);
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
      if (!form.hasAttribute("data-draft-send")) { return; }
      if (form.hasAttribute("data-draft-hold")) { store(pending + form.dataset.draft, null); }
      form.addEventListener("submit", function (event) {
        save(form);
        if (navigator.onLine) { status(form, "sending"); return; }
        event.preventDefault();
        store(pending + form.dataset.draft, "1");
        status(form, "waiting");
      });
      window.addEventListener("online", function () {
        if (read(pending + form.dataset.draft)) { send(form); }
      });
      if (read(pending + form.dataset.draft)) {
        if (navigator.onLine) { send(form); } else { status(form, "waiting"); }
      }
    });
  });
})();
