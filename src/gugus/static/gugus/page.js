// Behaviour that pages declare with data attributes, so no page needs inline script
// (the Content-Security-Policy allows scripts from Gugus's own files only).
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});
